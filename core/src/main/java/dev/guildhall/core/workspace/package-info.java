/** Workspaces, the unit of tenancy. */
@NullMarked
package dev.guildhall.core.workspace;

import org.jspecify.annotations.NullMarked;
