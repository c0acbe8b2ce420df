package dev.guildhall.packs.support.agents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.Checks;
import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentDescriptor;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.agent.Tier;
import dev.guildhall.core.json.Json;
import dev.guildhall.packs.support.customer.CustomerContext;
import dev.guildhall.packs.support.customer.CustomerId;
import dev.guildhall.packs.support.customer.CustomerProfile;
import java.util.Optional;

/**
 * Tier 1 context enrichment: attaches the customer's profile, plan, lifetime value, health,
 * recent conversations and open issues (through {@link CustomerContext}'s cache) so that triage
 * and the answer can take them into account. An unknown or missing customer is {@code known:
 * false} with neutral values, not a failure: anonymous messages still get answered.
 *
 * <p>Input {@code {"customerId"?}}; output {@code {"known", "customerId", "name", "plan",
 * "lifetimeValue", "health", "recentConversations", "openIssues"}}.
 */
public final class CustomerContextAgent implements Agent {
    public static final String ID = "customer-context";

    private static final AgentDescriptor DESCRIPTOR = Descriptors.of(
            ID,
            "Customer context",
            "Attaches the customer's profile, plan, lifetime value, health and recent conversations.",
            Tier.ESSENTIAL,
            "enrichment",
            "customers");

    private final CustomerContext customers;

    public CustomerContextAgent(CustomerContext customers) {
        this.customers = Checks.notNull(customers, "customers");
    }

    @Override
    public AgentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AgentResult run(AgentTask task, AgentContext context) {
        String id = task.text("customerId");
        Optional<CustomerProfile> profile =
                id.isBlank() ? Optional.empty() : customers.find(context.workspace(), CustomerId.of(id));
        ObjectNode out = Json.object();
        out.put("known", profile.isPresent());
        out.put("customerId", id);
        if (profile.isPresent()) {
            CustomerProfile p = profile.get();
            out.put("name", p.name()).put("plan", p.plan()).put("lifetimeValue", p.lifetimeValue());
            out.put("health", p.health()).put("openIssues", p.openIssues());
            p.recentConversations().forEach(out.putArray("recentConversations")::add);
        } else {
            out.put("name", "").put("plan", "unknown").put("lifetimeValue", 0.0);
            out.put("health", "healthy").put("openIssues", 0);
            out.putArray("recentConversations");
        }
        return AgentResult.deterministic(out, 1.0);
    }
}
