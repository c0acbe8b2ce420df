package dev.guildhall.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.Checks;

/** What a model is told about a tool: its name, what it does and a JSON Schema of its arguments. */
public record ToolSpec(String name, String description, JsonNode parameters) {
    public ToolSpec {
        Checks.notBlank(name, "name");
        description = description == null ? "" : description;
        Checks.notNull(parameters, "parameters");
    }
}
