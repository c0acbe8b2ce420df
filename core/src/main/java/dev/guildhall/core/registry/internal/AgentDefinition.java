package dev.guildhall.core.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.agent.AgentDescriptor;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A checked declarative agent definition, ready to run. Only built when its document had no
 * problem at all.
 *
 * @param instructions the system prompt template; null when the agent never calls a model
 * @param prompt the user message template; null to send the task input as JSON
 * @param tools names of the tools the model may call, checked against the tool registry
 * @param outputSchema the JSON Schema a model's answer must match; null for free text
 */
public record AgentDefinition(
        AgentDescriptor descriptor,
        List<InputSpec> inputs,
        @Nullable TemplateText instructions,
        @Nullable TemplateText prompt,
        List<String> tools,
        @Nullable JsonNode outputSchema,
        @Nullable Fallback fallback,
        int maxToolRounds,
        int maxOutputTokens,
        @Nullable Double temperature) {
    public static final int DEFAULT_MAX_TOOL_ROUNDS = 5;

    public AgentDefinition {
        inputs = List.copyOf(inputs);
        tools = List.copyOf(tools);
    }
}
