package dev.guildhall.core.gateway;

import dev.guildhall.core.Checks;

/** A model's request to call a tool, with its arguments as a JSON object string. */
public record ToolCall(String id, String name, String argumentsJson) {
    public ToolCall {
        Checks.notBlank(id, "id");
        Checks.notBlank(name, "name");
        argumentsJson = argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson;
    }
}
