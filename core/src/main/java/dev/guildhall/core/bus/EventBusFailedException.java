package dev.guildhall.core.bus;

import dev.guildhall.core.NonRetryableException;

/**
 * The bus's server refused the operation and will refuse it again: a key of the wrong type, a
 * permission, a command it does not know. Do not retry; check the configuration and the server.
 */
public class EventBusFailedException extends NonRetryableException {
    private static final long serialVersionUID = 1L;

    private final String operation;

    public EventBusFailedException(String operation, String message, Throwable cause) {
        super("Event bus operation '%s' failed: %s".formatted(operation, message), cause);
        this.operation = operation;
    }

    /** What the bus was doing, such as {@code publish to runs}. */
    public String operation() {
        return operation;
    }
}
