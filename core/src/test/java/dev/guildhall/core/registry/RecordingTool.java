package dev.guildhall.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.gateway.ToolSpec;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.tool.Tool;
import dev.guildhall.core.tool.ToolContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A tool that records its calls and answers with a fixed function. */
final class RecordingTool implements Tool {
    record Call(JsonNode arguments, ToolContext context) {}

    private final ToolSpec spec;
    private final Function<JsonNode, JsonNode> answer;
    final List<Call> calls = new ArrayList<>();

    RecordingTool(String name, Function<JsonNode, JsonNode> answer) {
        this.spec = new ToolSpec(name, "Test tool " + name, Json.parse("{\"type\":\"object\"}"));
        this.answer = answer;
    }

    @Override
    public ToolSpec spec() {
        return spec;
    }

    @Override
    public JsonNode invoke(JsonNode arguments, ToolContext context) {
        calls.add(new Call(arguments, context));
        return answer.apply(arguments);
    }
}
