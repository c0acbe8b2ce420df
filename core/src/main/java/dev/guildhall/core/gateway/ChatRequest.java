package dev.guildhall.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.Checks;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What to ask a chat model. The gateway picks the provider and model; the request says only what
 * the agent needs. Equal requests are equal records, which is what the response cache keys on.
 *
 * @param responseSchema when set, the model must answer with JSON matching this JSON Schema
 * @param maxOutputTokens upper bound on the answer's length, also used to estimate cost before the call
 */
public record ChatRequest(
        List<ChatMessage> messages,
        List<ToolSpec> tools,
        @Nullable JsonNode responseSchema,
        int maxOutputTokens,
        @Nullable Double temperature) {
    public static final int DEFAULT_MAX_OUTPUT_TOKENS = 1024;

    public ChatRequest {
        Checks.notEmpty(messages, "messages");
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        Checks.positive(maxOutputTokens, "maxOutputTokens");
    }

    public static ChatRequest of(List<ChatMessage> messages) {
        return new ChatRequest(messages, List.of(), null, DEFAULT_MAX_OUTPUT_TOKENS, null);
    }

    public static ChatRequest of(ChatMessage... messages) {
        return of(List.of(messages));
    }

    public ChatRequest withTools(List<ToolSpec> tools) {
        return new ChatRequest(messages, tools, responseSchema, maxOutputTokens, temperature);
    }

    public ChatRequest withResponseSchema(JsonNode schema) {
        return new ChatRequest(messages, tools, schema, maxOutputTokens, temperature);
    }

    public ChatRequest withMaxOutputTokens(int max) {
        return new ChatRequest(messages, tools, responseSchema, max, temperature);
    }

    public ChatRequest withMessages(List<ChatMessage> messages) {
        return new ChatRequest(messages, tools, responseSchema, maxOutputTokens, temperature);
    }
}
