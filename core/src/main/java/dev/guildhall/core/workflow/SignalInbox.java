package dev.guildhall.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.RunId;
import java.util.Optional;

/**
 * Signals sent to runs, kept until a step consumes them, so a signal sent before the run starts
 * waiting is not lost. Signals of one name are consumed in the order they arrived.
 * Implementations are thread-safe.
 */
public interface SignalInbox {
    void deliver(RunId run, String name, JsonNode payload);

    /** The oldest unconsumed signal of this name, without consuming it. */
    Optional<JsonNode> peek(RunId run, String name);

    /** Removes the oldest signal of this name; a no-op when there is none. */
    void consume(RunId run, String name);
}
