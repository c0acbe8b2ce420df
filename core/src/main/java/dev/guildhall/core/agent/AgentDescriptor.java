package dev.guildhall.core.agent;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.Checks;
import dev.guildhall.core.gateway.ModelPolicy;
import dev.guildhall.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.Set;

/**
 * What the registry knows about an agent: who it is, where it belongs and how it may be run.
 *
 * @param team the team, guild or council the agent belongs to; free-form, used for queries
 * @param capabilities free-form tags such as {@code billing} or {@code summarise}
 * @param timeout how long one call may take before the engine abandons it
 * @param source where the definition came from ({@code class:...} or {@code file.yaml}), for messages
 */
public record AgentDescriptor(
        AgentId id,
        String displayName,
        String description,
        Tier tier,
        String team,
        Set<String> capabilities,
        ModelPolicy modelPolicy,
        Duration timeout,
        RetryPolicy retry,
        String source) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public AgentDescriptor {
        Checks.notNull(id, "id");
        displayName = displayName == null || displayName.isBlank() ? id.value() : displayName;
        description = description == null ? "" : description;
        Checks.notNull(tier, "tier");
        team = team == null ? "" : team;
        capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
        Checks.notNull(modelPolicy, "modelPolicy");
        Checks.positive(timeout, "timeout");
        Checks.notNull(retry, "retry");
        source = source == null ? "" : source;
    }

    /** A descriptor with defaults for everything but the id, for tests and small function agents. */
    public static AgentDescriptor of(String id) {
        return new AgentDescriptor(
                AgentId.of(id),
                id,
                "",
                Tier.OPERATIONAL,
                "",
                Set.of(),
                ModelPolicy.NONE,
                DEFAULT_TIMEOUT,
                RetryPolicy.defaults(),
                "");
    }

    public boolean hasCapability(String capability) {
        return capabilities.contains(capability);
    }
}
