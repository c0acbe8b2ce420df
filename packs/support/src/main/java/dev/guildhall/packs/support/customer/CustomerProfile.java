package dev.guildhall.packs.support.customer;

import dev.guildhall.core.Checks;
import java.util.List;

/**
 * What the desk knows about a customer before it answers: who they are, what they pay, how the
 * relationship is going and what they wrote about lately.
 *
 * @param lifetimeValue revenue from the customer so far, in the workspace's currency
 * @param health {@code healthy}, {@code at-risk} or {@code churning}, as the workspace's CRM rates it
 * @param recentConversations one-line summaries of the latest conversations, newest first
 * @param openIssues conversations of this customer not yet resolved
 */
public record CustomerProfile(
        CustomerId id,
        String name,
        String plan,
        double lifetimeValue,
        String health,
        List<String> recentConversations,
        int openIssues) {
    public static final List<String> HEALTH = List.of("healthy", "at-risk", "churning");

    public CustomerProfile {
        Checks.notNull(id, "id");
        name = name == null ? "" : name;
        Checks.notBlank(plan, "plan");
        Checks.check(lifetimeValue >= 0, "lifetimeValue must be >= 0, was " + lifetimeValue);
        Checks.check(HEALTH.contains(health), "health must be one of " + HEALTH + ", was " + health);
        recentConversations = List.copyOf(recentConversations);
        Checks.notNegative(openIssues, "openIssues");
    }
}
