package dev.guildhall.core.gateway;

import dev.guildhall.core.Checks;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * A chat model's answer, with who answered, what it cost and how long it took.
 *
 * @param cached true when the gateway served the answer from its response cache (cost is then zero)
 */
public record ChatResponse(
        String text,
        List<ToolCall> toolCalls,
        FinishReason finishReason,
        TokenUsage usage,
        String provider,
        String model,
        Duration latency,
        BigDecimal cost,
        boolean cached) {
    public enum FinishReason {
        STOP,
        LENGTH,
        TOOL_CALLS,
        CONTENT_FILTER,
        OTHER
    }

    public ChatResponse {
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        Checks.notNull(finishReason, "finishReason");
        Checks.notNull(usage, "usage");
        Checks.notBlank(provider, "provider");
        Checks.notBlank(model, "model");
        Checks.notNull(latency, "latency");
        Checks.notNull(cost, "cost");
    }

    public boolean hasToolCalls() {
        return !toolCalls.isEmpty();
    }
}
