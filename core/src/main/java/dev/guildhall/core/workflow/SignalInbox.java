package dev.guildhall.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.Checks;
import dev.guildhall.core.RunId;
import java.util.List;

/**
 * Signals sent to runs, kept until a step consumes them, so a signal sent before the run starts
 * waiting is not lost. Each signal has an id, and is handed to one step and consumed once.
 * Implementations are thread-safe.
 */
public interface SignalInbox {

    /** One delivered signal; ids grow in delivery order within a run. */
    record Signal(long id, String name, JsonNode payload) {
        public Signal {
            Checks.notBlank(name, "name");
            Checks.notNull(payload, "payload");
        }
    }

    /** Keeps a signal for the run; returns it with its id. */
    Signal deliver(RunId run, String name, JsonNode payload);

    /** The run's unconsumed signals of this name, oldest first; empty when there are none. */
    List<Signal> pending(RunId run, String name);

    /** Removes one signal; a no-op when it was already consumed. */
    void consume(RunId run, long signalId);
}
