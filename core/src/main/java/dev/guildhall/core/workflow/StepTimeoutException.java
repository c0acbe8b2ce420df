package dev.guildhall.core.workflow;

import dev.guildhall.core.RetryableException;
import java.time.Duration;

/** One attempt of a step or agent call took longer than its timeout and was abandoned. */
public class StepTimeoutException extends RetryableException {
    public StepTimeoutException(String what, Duration timeout) {
        super("%s timed out after %s".formatted(what, timeout));
    }
}
