package dev.guildhall.core.gateway;

import dev.guildhall.core.Checks;
import dev.guildhall.core.gateway.ChatResponse.FinishReason;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link ChatProvider} got back from its model, before the gateway adds cost and latency.
 *
 * @param usage the tokens the provider reported, or null when it reported none; the gateway then
 *     counts them itself and marks the usage {@link TokenUsage#estimated() estimated}
 */
public record ProviderResult(
        String text, List<ToolCall> toolCalls, FinishReason finishReason, @Nullable TokenUsage usage) {
    public ProviderResult {
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        Checks.notNull(finishReason, "finishReason");
    }

    public static ProviderResult text(String text, @Nullable TokenUsage usage) {
        return new ProviderResult(text, List.of(), FinishReason.STOP, usage);
    }
}
