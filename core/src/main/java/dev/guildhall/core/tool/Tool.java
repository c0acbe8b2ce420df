package dev.guildhall.core.tool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.gateway.ToolSpec;

/**
 * Something an agent may call: look a customer up, send an SMS, search a catalogue. Tools with
 * side effects must honour {@link ToolContext#idempotencyKey()} so that a retried step does the
 * effect once. Implementations are thread-safe.
 */
public interface Tool {
    /** The name, description and argument schema shown to a model. */
    ToolSpec spec();

    default String name() {
        return spec().name();
    }

    /**
     * Runs the tool.
     *
     * @param arguments a JSON object matching {@code spec().parameters()}
     * @return a JSON result for the caller (and the model)
     */
    JsonNode invoke(JsonNode arguments, ToolContext context);
}
