package dev.guildhall.core.agent;

import dev.guildhall.core.gateway.ChatResponse;
import java.math.BigDecimal;

/** What one agent call consumed: model calls, tokens and money (zero for deterministic work). */
public record AgentUsage(int modelCalls, long inputTokens, long outputTokens, BigDecimal cost) {
    public static final AgentUsage NONE = new AgentUsage(0, 0, 0, BigDecimal.ZERO);

    public AgentUsage {
        cost = cost == null ? BigDecimal.ZERO : cost;
    }

    public AgentUsage plus(ChatResponse response) {
        return new AgentUsage(
                modelCalls + 1,
                inputTokens + response.usage().inputTokens(),
                outputTokens + response.usage().outputTokens(),
                cost.add(response.cost()));
    }

    public AgentUsage plus(AgentUsage other) {
        return new AgentUsage(
                modelCalls + other.modelCalls,
                inputTokens + other.inputTokens,
                outputTokens + other.outputTokens,
                cost.add(other.cost));
    }
}
