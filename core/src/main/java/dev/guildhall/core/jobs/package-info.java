/**
 * Durable execution's work queue: one entry per run that needs driving, leased to one worker at a
 * time, renewed by heartbeats, returned to the queue when its worker dies and parked as a dead
 * letter when it keeps failing. {@link dev.guildhall.core.jobs.RunWorker} claims entries and
 * drives their runs with a {@link dev.guildhall.core.workflow.WorkflowEngine}.
 */
@NullMarked
package dev.guildhall.core.jobs;

import org.jspecify.annotations.NullMarked;
