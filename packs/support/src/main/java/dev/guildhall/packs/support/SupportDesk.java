package dev.guildhall.packs.support;

import dev.guildhall.core.Checks;
import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.registry.AgentRegistry;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.definition.WorkflowDefinitions;
import dev.guildhall.packs.support.agents.CaseSummariser;
import dev.guildhall.packs.support.agents.CustomerContextAgent;
import dev.guildhall.packs.support.agents.EscalationAgent;
import dev.guildhall.packs.support.agents.IntentRouterAgent;
import dev.guildhall.packs.support.agents.KnowledgeAnswerer;
import dev.guildhall.packs.support.agents.KnowledgeGapDetector;
import dev.guildhall.packs.support.agents.QaVerifier;
import dev.guildhall.packs.support.agents.SlaWatch;
import dev.guildhall.packs.support.agents.TrendAnalyst;
import dev.guildhall.packs.support.customer.CustomerContext;
import dev.guildhall.packs.support.routing.WorkspaceRouters;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The support desk's Java API: its agents (the YAML definitions shipped in the pack and the code
 * agents that need collaborators), the {@code support-desk} workflow, and the per-workspace
 * routers. The {@link SupportPack} service and the {@code guildhall support} commands both build
 * one of these. Thread-safe.
 */
public final class SupportDesk {
    public static final String WORKFLOW_ID = "tiered-support-desk";
    public static final String WORKFLOW_RESOURCE = "guildhall/support/workflows/support-desk.yaml";
    /** The pack's declarative agents, by tier. */
    public static final List<String> DEFINITION_RESOURCES = List.of(
            "guildhall/support/agents/tier1-triage.yaml",
            "guildhall/support/agents/tier1-reply.yaml",
            "guildhall/support/agents/tier2-churn-risk.yaml",
            "guildhall/support/agents/tier2-billing-dispute.yaml",
            "guildhall/support/agents/tier3-sentiment.yaml");

    private final WorkspaceRouters routers;
    private final CustomerContext customers;
    private final double minConfidence;

    public SupportDesk(WorkspaceRouters routers, CustomerContext customers, double minConfidence) {
        this.routers = Checks.notNull(routers, "routers");
        this.customers = Checks.notNull(customers, "customers");
        this.minConfidence = Checks.between(minConfidence, 0.0, 1.0, "minConfidence");
    }

    public SupportDesk(WorkspaceRouters routers, CustomerContext customers) {
        this(routers, customers, IntentRouterAgent.DEFAULT_MIN_CONFIDENCE);
    }

    public WorkspaceRouters routers() {
        return routers;
    }

    public CustomerContext customers() {
        return customers;
    }

    /** The agents built in code, which need the desk's collaborators. */
    public List<Agent> codeAgents() {
        return List.of(
                new IntentRouterAgent(routers, minConfidence),
                new CustomerContextAgent(customers),
                new KnowledgeAnswerer(),
                new QaVerifier(),
                new EscalationAgent(),
                new CaseSummariser(),
                new KnowledgeGapDetector(),
                new TrendAnalyst(),
                new SlaWatch());
    }

    /**
     * Every agent of the desk in one registry, plus the workspace's own YAML definitions from
     * {@code extraDefinitions} (files or directories): customers add agents without recompiling.
     *
     * @throws dev.guildhall.core.definition.InvalidDefinitionException listing every problem
     */
    public AgentRegistry registry(List<Path> extraDefinitions) {
        AgentRegistry.Builder builder = AgentRegistry.builder();
        for (String resource : DEFINITION_RESOURCES) {
            try (Reader reader = resource(resource)) {
                builder.loadDefinitions(resource, reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
        codeAgents().forEach(builder::add);
        extraDefinitions.forEach(builder::loadDefinitions);
        return builder.build();
    }

    /** The {@code support-desk} workflow, checked against {@code agents}. */
    public static Workflow workflow(AgentRegistry agents) {
        try (Reader reader = resource(WORKFLOW_RESOURCE)) {
            return WorkflowDefinitions.parse(WORKFLOW_RESOURCE, reader, agents);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + WORKFLOW_RESOURCE, e);
        }
    }

    static Reader resource(String name) {
        InputStream in = SupportDesk.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is missing from the support pack's jar");
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }
}
