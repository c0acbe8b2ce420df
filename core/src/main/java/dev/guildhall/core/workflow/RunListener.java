package dev.guildhall.core.workflow;

import java.util.List;

/**
 * Receives every {@link RunEvent}. Called synchronously on the engine's threads, possibly from
 * several threads at once for one run's parallel steps; implementations must be thread-safe and
 * fast. An exception thrown here is logged and does not affect the run.
 */
@FunctionalInterface
public interface RunListener {
    void onEvent(RunEvent event);

    static RunListener noop() {
        return event -> {};
    }

    static RunListener all(List<RunListener> listeners) {
        List<RunListener> copy = List.copyOf(listeners);
        return event -> copy.forEach(l -> l.onEvent(event));
    }
}
