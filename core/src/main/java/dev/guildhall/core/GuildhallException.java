package dev.guildhall.core;

/**
 * The root of every exception Guildhall throws on purpose. Callers decide what to do from the
 * branch: a {@link RetryableException} may succeed when tried again later, a {@link
 * NonRetryableException} will fail the same way until its cause is fixed.
 */
public abstract class GuildhallException extends RuntimeException {
    protected GuildhallException(String message) {
        super(message);
    }

    protected GuildhallException(String message, Throwable cause) {
        super(message, cause);
    }

    protected GuildhallException(String message, Throwable cause, boolean writableStackTrace) {
        super(message, cause, false, writableStackTrace);
    }

    /** A stable, machine-readable name for this failure, stored on failed steps and jobs. */
    public String type() {
        return getClass().getSimpleName();
    }
}
