package dev.guildhall.core.workflow;

import dev.guildhall.core.RunId;
import java.time.Instant;

/**
 * Wakes suspended runs at a time. A timer is identified by run and name; scheduling the same pair
 * again replaces it. Implementations are thread-safe; the durable one keeps timers across restarts.
 */
public interface TimerService extends AutoCloseable {

    /** Calls {@code onDue} once, at or after {@code dueAt} by the service's clock. */
    void schedule(RunId run, String name, Instant dueAt, Runnable onDue);

    void cancel(RunId run, String name);

    /** Fires every timer that is due now; returns how many fired. Useful with a test clock. */
    int fireDue();

    @Override
    void close();
}
