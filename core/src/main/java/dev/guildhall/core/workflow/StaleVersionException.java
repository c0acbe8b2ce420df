package dev.guildhall.core.workflow;

import dev.guildhall.core.RetryableException;
import dev.guildhall.core.RunId;

/** A save lost a race: the stored run changed since it was read. Reload and decide again. */
public class StaleVersionException extends RetryableException {
    public StaleVersionException(RunId run, long expected, long actual) {
        super("Run %s was saved concurrently: expected version %d, found %d".formatted(run, expected, actual));
    }
}
