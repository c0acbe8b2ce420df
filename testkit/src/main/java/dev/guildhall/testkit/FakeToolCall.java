package dev.guildhall.testkit;

import java.util.Objects;

/** A tool call a fake server answers with; {@code argumentsJson} is a JSON object string. */
public record FakeToolCall(String id, String name, String argumentsJson) {
    public FakeToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(argumentsJson, "argumentsJson");
    }
}
