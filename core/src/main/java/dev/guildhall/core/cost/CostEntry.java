package dev.guildhall.core.cost;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.Checks;
import dev.guildhall.core.RunId;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.gateway.ModelPolicy;
import dev.guildhall.core.gateway.TokenUsage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One model call in the cost ledger: who made it, which model answered, what it consumed and cost.
 * Flat on purpose, so that it maps to one row of a {@code cost_ledger} table.
 *
 * @param at when the call finished
 * @param policy the policy the call ran under; cheaper than {@code requestedPolicy} when a soft budget limit downgraded it
 * @param estimatedTokens true when the provider reported no usage and the gateway counted the tokens itself
 * @param cached true when the response came from the response cache (cost and tokens are then zero)
 * @param streamed true when the answer was streamed
 */
public record CostEntry(
        Instant at,
        WorkspaceId workspace,
        @Nullable UserId user,
        @Nullable RunId run,
        @Nullable AgentId agent,
        Kind kind,
        String provider,
        String model,
        ModelPolicy policy,
        ModelPolicy requestedPolicy,
        long inputTokens,
        long outputTokens,
        boolean estimatedTokens,
        Duration latency,
        BigDecimal cost,
        boolean cached,
        boolean streamed) {

    /** What kind of call it was. */
    public enum Kind {
        CHAT,
        EMBEDDING
    }

    public CostEntry {
        Checks.notNull(at, "at");
        Checks.notNull(workspace, "workspace");
        Checks.notNull(kind, "kind");
        Checks.notBlank(provider, "provider");
        Checks.notBlank(model, "model");
        Checks.notNull(policy, "policy");
        Checks.notNull(requestedPolicy, "requestedPolicy");
        Checks.check(inputTokens >= 0, "inputTokens must be >= 0, was " + inputTokens);
        Checks.check(outputTokens >= 0, "outputTokens must be >= 0, was " + outputTokens);
        Checks.notNegative(latency, "latency");
        Checks.notNull(cost, "cost");
        Checks.check(cost.signum() >= 0, "cost must be >= 0, was " + cost.toPlainString());
    }

    public TokenUsage usage() {
        return new TokenUsage(inputTokens, outputTokens, estimatedTokens);
    }

    /** Whether a soft budget limit moved this call to a cheaper policy than the agent asked for. */
    public boolean downgraded() {
        return policy != requestedPolicy;
    }
}
