package dev.guildhall.core.workflow;

import dev.guildhall.core.workflow.internal.NoopRunListener;
import java.util.List;

/**
 * Receives every {@link RunEvent}. Called synchronously on the engine's threads, possibly from
 * several threads at once for one run's parallel steps; implementations must be thread-safe and
 * fast. An exception thrown here is logged and does not affect the run.
 */
@FunctionalInterface
public interface RunListener {
    void onEvent(RunEvent event);

    /** The listener that ignores every event; the engine skips building events for it. */
    static RunListener noop() {
        return NoopRunListener.INSTANCE;
    }

    static RunListener all(List<RunListener> listeners) {
        List<RunListener> copy = List.copyOf(listeners);
        return event -> copy.forEach(l -> l.onEvent(event));
    }
}
