package dev.guildhall.core.workflow;

import dev.guildhall.core.Checks;
import dev.guildhall.core.GuildhallException;
import dev.guildhall.core.NonRetryableException;
import org.jspecify.annotations.Nullable;

/**
 * A failure as stored on a step or run: a stable type, whether retrying can help, and the message.
 *
 * @param step the node that failed, or null for a run-level failure
 */
public record Failure(String type, String message, boolean nonRetryable, @Nullable String step) {
    public Failure {
        Checks.notBlank(type, "type");
        message = message == null ? "" : message;
    }

    public static Failure of(Throwable error, @Nullable String step) {
        Throwable e = error instanceof java.util.concurrent.ExecutionException && error.getCause() != null
                ? error.getCause()
                : error;
        String type =
                e instanceof GuildhallException g ? g.type() : e.getClass().getSimpleName();
        boolean nonRetryable = e instanceof NonRetryableException;
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        return new Failure(type, message, nonRetryable, step);
    }

    @Override
    public String toString() {
        return type + ": " + message;
    }
}
