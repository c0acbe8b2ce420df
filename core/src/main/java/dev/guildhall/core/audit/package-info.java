/** The audit log port: every write, who made it, when and from where. */
@NullMarked
package dev.guildhall.core.audit;

import org.jspecify.annotations.NullMarked;
