package dev.guildhall.core.workflow;

import dev.guildhall.core.RetryableException;
import dev.guildhall.core.RunId;

/**
 * A worker claimed a run of a workflow its engine was not given. Retryable: a node that has the
 * workflow can drive it, so the worker hands the run back for later instead of failing it.
 */
public final class UnknownWorkflowException extends RetryableException {
    private final String workflowId;

    public UnknownWorkflowException(RunId run, String workflowId) {
        super("run " + run + " is of workflow '" + workflowId + "', which this engine does not have");
        this.workflowId = workflowId;
    }

    public String workflowId() {
        return workflowId;
    }
}
