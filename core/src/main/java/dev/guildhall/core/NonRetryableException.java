package dev.guildhall.core;

/**
 * A failure that will repeat on every attempt until someone changes the input, the definition or
 * the configuration. The engine does not retry it.
 */
public class NonRetryableException extends GuildhallException {
    public NonRetryableException(String message) {
        super(message);
    }

    public NonRetryableException(String message, Throwable cause) {
        super(message, cause);
    }

    protected NonRetryableException(String message, Throwable cause, boolean writableStackTrace) {
        super(message, cause, writableStackTrace);
    }
}
