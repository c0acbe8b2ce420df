package dev.guildhall.core.cost;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.Checks;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * One row of a {@link SpendQuery} answer: the group's keys and its totals. A key is null when the
 * query did not group by it (or, for user and agent, when the calls had none).
 *
 * @param provider with {@code model}, set when grouped by {@link SpendQuery.GroupBy#MODEL}
 * @param calls every recorded call, cached ones included
 * @param cachedCalls the calls answered from the response cache
 */
public record SpendRow(
        @Nullable WorkspaceId workspace,
        @Nullable UserId user,
        @Nullable AgentId agent,
        @Nullable String provider,
        @Nullable String model,
        @Nullable LocalDate day,
        long calls,
        long cachedCalls,
        long inputTokens,
        long outputTokens,
        BigDecimal cost) {

    public SpendRow {
        Checks.check(calls >= 0, "calls must be >= 0, was " + calls);
        Checks.check(
                cachedCalls >= 0 && cachedCalls <= calls,
                "cachedCalls must be between 0 and calls (%d), was %d".formatted(calls, cachedCalls));
        Checks.notNull(cost, "cost");
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
