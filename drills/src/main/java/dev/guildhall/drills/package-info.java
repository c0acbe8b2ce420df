/**
 * Drills that prove durable execution from the outside: the chaos drill's worker, submitter and
 * checker processes, and the durable-execution benchmark.
 */
@NullMarked
package dev.guildhall.drills;

import org.jspecify.annotations.NullMarked;
