package dev.guildhall.core.registry;

import dev.guildhall.core.Checks;
import dev.guildhall.core.agent.AgentDescriptor;
import dev.guildhall.core.agent.Tier;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which agents to list from an {@link AgentRegistry}. Every criterion is optional and all given
 * criteria must hold: {@code AgentQuery.any().withTier(ESSENTIAL).withTeam("billing")} finds the
 * essential agents of the billing team.
 *
 * @param tier the tier agents must have, or null for any
 * @param team the team, guild or council agents must belong to (exact match), or null for any
 * @param capabilities capabilities agents must all have; empty for any
 */
public record AgentQuery(@Nullable Tier tier, @Nullable String team, Set<String> capabilities) {
    private static final AgentQuery ANY = new AgentQuery(null, null, Set.of());

    public AgentQuery {
        capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
    }

    /** Matches every agent. */
    public static AgentQuery any() {
        return ANY;
    }

    public AgentQuery withTier(Tier newTier) {
        return new AgentQuery(Checks.notNull(newTier, "tier"), team, capabilities);
    }

    public AgentQuery withTeam(String newTeam) {
        return new AgentQuery(tier, Checks.notBlank(newTeam, "team"), capabilities);
    }

    /** This query, also requiring {@code capability}. */
    public AgentQuery withCapability(String capability) {
        Checks.notBlank(capability, "capability");
        Set<String> all = new LinkedHashSet<>(capabilities);
        all.add(capability);
        return new AgentQuery(tier, team, all);
    }

    /** Whether {@code descriptor} satisfies every criterion of this query. */
    public boolean matches(AgentDescriptor descriptor) {
        return (tier == null || descriptor.tier() == tier)
                && (team == null || descriptor.team().equals(team))
                && descriptor.capabilities().containsAll(capabilities);
    }
}
