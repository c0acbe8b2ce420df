package dev.guildhall.core;

/**
 * A failure that may go away by itself: a rate limit, an unavailable provider, a timeout. The
 * engine retries it according to the step's {@link dev.guildhall.core.retry.RetryPolicy}.
 */
public class RetryableException extends GuildhallException {
    public RetryableException(String message) {
        super(message);
    }

    public RetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
