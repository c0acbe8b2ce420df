package dev.guildhall.core.bus;

import dev.guildhall.core.RetryableException;

/**
 * The bus's server could not be reached or did not answer in time. Retry later. A publish that
 * failed this way may still have reached the bus; publishing the same event again is safe, since
 * consumers drop a repeated event id.
 */
public class EventBusUnavailableException extends RetryableException {
    private static final long serialVersionUID = 1L;

    private final String operation;

    public EventBusUnavailableException(String operation, String message, Throwable cause) {
        super("Event bus operation '%s' failed: %s".formatted(operation, message), cause);
        this.operation = operation;
    }

    /** What the bus was doing, such as {@code publish to runs}. */
    public String operation() {
        return operation;
    }
}
