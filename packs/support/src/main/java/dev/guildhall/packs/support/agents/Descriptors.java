package dev.guildhall.packs.support.agents;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.agent.AgentDescriptor;
import dev.guildhall.core.agent.Tier;
import dev.guildhall.core.gateway.ModelPolicy;
import dev.guildhall.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.Set;

/** Descriptors of the pack's code agents: team {@code support}, no model, short timeouts. */
final class Descriptors {
    static final String TEAM = "support";

    private Descriptors() {}

    static AgentDescriptor of(String id, String name, String description, Tier tier, String... capabilities) {
        return new AgentDescriptor(
                AgentId.of(id),
                name,
                description,
                tier,
                TEAM,
                Set.of(capabilities),
                ModelPolicy.NONE,
                Duration.ofSeconds(10),
                RetryPolicy.defaults(),
                "class:" + Descriptors.class.getPackageName() + "." + id);
    }
}
