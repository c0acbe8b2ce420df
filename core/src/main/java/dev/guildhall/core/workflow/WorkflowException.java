package dev.guildhall.core.workflow;

import dev.guildhall.core.NonRetryableException;

/** A workflow is wrongly built or went somewhere it cannot: fix the workflow, retrying will not help. */
public class WorkflowException extends NonRetryableException {
    public WorkflowException(String message) {
        super(message);
    }
}
