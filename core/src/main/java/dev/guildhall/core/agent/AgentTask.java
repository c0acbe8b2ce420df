package dev.guildhall.core.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.guildhall.core.Checks;
import dev.guildhall.core.gateway.ChatMessage;
import dev.guildhall.core.json.Json;
import java.util.List;

/**
 * What an agent is asked to do: an input payload (usually a JSON object built from the run's
 * state) and, for conversational agents, the conversation so far.
 */
public record AgentTask(JsonNode input, List<ChatMessage> conversation) {
    public AgentTask {
        Checks.notNull(input, "input");
        conversation = conversation == null ? List.of() : List.copyOf(conversation);
    }

    public static AgentTask of(JsonNode input) {
        return new AgentTask(input, List.of());
    }

    /** A task whose input is {@code value} converted to JSON (a record, a map, a string). */
    public static AgentTask ofValue(Object value) {
        return new AgentTask(Json.toTree(value), List.of());
    }

    /** The input field at a dotted path such as {@code customer.plan}, or a missing node. */
    public JsonNode at(String dottedPath) {
        JsonNode node = input;
        for (String part : dottedPath.split("\\.")) {
            node = node == null ? MissingNode.getInstance() : node.path(part);
        }
        return node;
    }

    /** The text at a dotted path, or an empty string when absent. */
    public String text(String dottedPath) {
        JsonNode node = at(dottedPath);
        return node.isMissingNode() || node.isNull() ? "" : node.isValueNode() ? node.asText() : node.toString();
    }

    public <T> T inputAs(Class<T> type) {
        return Json.convert(input, type);
    }
}
