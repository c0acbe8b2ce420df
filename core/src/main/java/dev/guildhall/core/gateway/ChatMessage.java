package dev.guildhall.core.gateway;

import dev.guildhall.core.Checks;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One message of a conversation with a chat model. Assistant messages may carry tool calls; tool
 * messages answer one call by its id.
 */
public record ChatMessage(
        Role role, String text, List<ToolCall> toolCalls, @Nullable String toolCallId, @Nullable String toolName) {
    public enum Role {
        SYSTEM,
        USER,
        ASSISTANT,
        TOOL
    }

    public ChatMessage {
        Checks.notNull(role, "role");
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        if (role == Role.TOOL) {
            Checks.notBlank(toolCallId, "toolCallId");
        }
    }

    public static ChatMessage system(String text) {
        return new ChatMessage(Role.SYSTEM, text, List.of(), null, null);
    }

    public static ChatMessage user(String text) {
        return new ChatMessage(Role.USER, text, List.of(), null, null);
    }

    public static ChatMessage assistant(String text) {
        return new ChatMessage(Role.ASSISTANT, text, List.of(), null, null);
    }

    public static ChatMessage assistant(String text, List<ToolCall> toolCalls) {
        return new ChatMessage(Role.ASSISTANT, text, toolCalls, null, null);
    }

    public static ChatMessage toolResult(ToolCall call, String resultJson) {
        return new ChatMessage(Role.TOOL, resultJson, List.of(), call.id(), call.name());
    }
}
