package dev.guildhall.core.cost;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.Checks;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Which spend to add up: the ledger entries in {@code [from, to)}, optionally of one workspace, user
 * or agent, grouped by zero or more dimensions. With no grouping the answer is one row of totals.
 * It reads like {@code SELECT <groupBy>, SUM(...) FROM cost_ledger WHERE ... GROUP BY <groupBy>}.
 *
 * @param workspace only this workspace's entries, or every workspace's when null (operators only)
 * @param user only this user's entries, or everyone's when null
 * @param agent only this agent's entries, or every agent's when null
 * @param from the first instant included
 * @param to the first instant excluded
 * @param groupBy the dimensions of each row, in order; empty for totals
 */
public record SpendQuery(
        @Nullable WorkspaceId workspace,
        @Nullable UserId user,
        @Nullable AgentId agent,
        Instant from,
        Instant to,
        List<GroupBy> groupBy) {

    /** A dimension rows can be grouped by. {@code DAY} is the UTC calendar day of {@link CostEntry#at()}. */
    public enum GroupBy {
        WORKSPACE,
        USER,
        AGENT,
        /** Provider and model together, e.g. {@code openai:gpt-4o-mini}. */
        MODEL,
        DAY
    }

    public SpendQuery {
        Checks.notNull(from, "from");
        Checks.notNull(to, "to");
        Checks.check(!to.isBefore(from), "to must be >= from (%s), was %s".formatted(from, to));
        Checks.notNull(groupBy, "groupBy");
        Checks.check(
                groupBy.stream().distinct().count() == groupBy.size(),
                "groupBy must not repeat a dimension, was " + groupBy);
        groupBy = List.copyOf(groupBy);
    }

    /** Totals of {@code workspace} in {@code [from, to)}. */
    public static SpendQuery forWorkspace(WorkspaceId workspace, Instant from, Instant to) {
        return new SpendQuery(Checks.notNull(workspace, "workspace"), null, null, from, to, List.of());
    }

    /** Totals of every workspace in {@code [from, to)}. */
    public static SpendQuery allWorkspaces(Instant from, Instant to) {
        return new SpendQuery(null, null, null, from, to, List.of());
    }

    public SpendQuery withUser(@Nullable UserId user) {
        return new SpendQuery(workspace, user, agent, from, to, groupBy);
    }

    public SpendQuery withAgent(@Nullable AgentId agent) {
        return new SpendQuery(workspace, user, agent, from, to, groupBy);
    }

    public SpendQuery groupBy(GroupBy... dimensions) {
        return new SpendQuery(workspace, user, agent, from, to, List.of(dimensions));
    }

    /** Whether {@code entry} is one of the entries this query adds up. */
    public boolean matches(CostEntry entry) {
        return !entry.at().isBefore(from)
                && entry.at().isBefore(to)
                && (workspace == null || workspace.equals(entry.workspace()))
                && (user == null || user.equals(entry.user()))
                && (agent == null || agent.equals(entry.agent()));
    }
}
