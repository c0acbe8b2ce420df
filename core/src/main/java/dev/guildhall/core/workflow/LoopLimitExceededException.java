package dev.guildhall.core.workflow;

import dev.guildhall.core.NonRetryableException;

/** A loop went round more often than its bound allows; the run fails instead of spinning. */
public class LoopLimitExceededException extends NonRetryableException {
    public LoopLimitExceededException(String message) {
        super(message);
    }
}
