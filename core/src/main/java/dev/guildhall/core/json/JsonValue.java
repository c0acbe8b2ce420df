package dev.guildhall.core.json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A value that builds its own JSON tree, equal to what Jackson would write for it, without the
 * reflection and buffering of {@code valueToTree}. The engine converts state values to JSON on
 * hot paths; values written on every step (agent results) implement this.
 */
public interface JsonValue {
    /** A new tree; callers may keep it. */
    JsonNode toJson();
}
