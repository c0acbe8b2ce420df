package dev.guildhall.server.api;

import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.agent.AgentDescriptor;
import dev.guildhall.core.agent.Tier;
import dev.guildhall.core.registry.AgentQuery;
import dev.guildhall.core.workflow.Node;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.server.WorkspaceCatalog;
import dev.guildhall.server.security.Caller;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The workflows and agents the caller's workspace can use. */
@RestController
@RequestMapping("/api/v1")
class CatalogController {
    private final WorkspaceCatalog catalog;

    CatalogController(WorkspaceCatalog catalog) {
        this.catalog = catalog;
    }

    record WorkflowSummary(String id, String description, String start, List<String> nodes) {
        static WorkflowSummary of(Workflow w) {
            return new WorkflowSummary(
                    w.id(),
                    w.description(),
                    w.start(),
                    w.nodes().stream().map(Node::id).toList());
        }
    }

    record WorkflowView(
            String id, String description, String start, List<NodeView> nodes, int maxSteps, String mermaid) {}

    record NodeView(String id, @Nullable String agent) {}

    record AgentView(
            String id,
            String displayName,
            String description,
            String tier,
            int tierNumber,
            String team,
            List<String> capabilities,
            long timeoutMillis,
            String source) {
        static AgentView of(Agent agent) {
            AgentDescriptor d = agent.descriptor();
            return new AgentView(
                    d.id().value(),
                    d.displayName(),
                    d.description(),
                    d.tier().name().toLowerCase(Locale.ROOT),
                    d.tier().number(),
                    d.team(),
                    d.capabilities().stream().sorted().toList(),
                    d.timeout().toMillis(),
                    sourceName(d.source()));
        }

        /** Only the file name: the server's directory layout is none of the client's business. */
        private static String sourceName(String source) {
            int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
            return slash < 0 ? source : source.substring(slash + 1);
        }
    }

    @GetMapping("/workflows")
    @PreAuthorize("hasAuthority('SCOPE_workflows:read')")
    List<WorkflowSummary> workflows(@AuthenticationPrincipal Caller caller) {
        return catalog.workflows(caller.workspace()).stream()
                .map(WorkflowSummary::of)
                .toList();
    }

    @GetMapping("/workflows/{id}")
    @PreAuthorize("hasAuthority('SCOPE_workflows:read')")
    WorkflowView workflow(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        Workflow w =
                catalog.workflow(caller.workspace(), id).orElseThrow(() -> ProblemException.notFound("Workflow", id));
        return new WorkflowView(
                w.id(),
                w.description(),
                w.start(),
                w.nodes().stream()
                        .map(n -> new NodeView(
                                n.id(), n.agent() == null ? null : n.agent().value()))
                        .toList(),
                w.maxSteps(),
                w.toMermaid());
    }

    @GetMapping("/agents")
    @PreAuthorize("hasAuthority('SCOPE_agents:read')")
    List<AgentView> agents(
            @AuthenticationPrincipal Caller caller,
            @RequestParam(required = false) @Nullable String tier,
            @RequestParam(required = false) @Nullable String team,
            @RequestParam(name = "capability", required = false) @Nullable List<String> capabilities) {
        AgentQuery query = AgentQuery.any();
        if (tier != null) {
            try {
                query = query.withTier(Tier.parse(tier));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("tier", e.getMessage());
            }
        }
        if (team != null && !team.isBlank()) {
            query = query.withTeam(team);
        }
        if (capabilities != null) {
            for (String c : capabilities) {
                if (!c.isBlank()) {
                    query = query.withCapability(c);
                }
            }
        }
        return catalog.agents(caller.workspace(), query).stream()
                .map(AgentView::of)
                .toList();
    }

    @GetMapping("/agents/{id}")
    @PreAuthorize("hasAuthority('SCOPE_agents:read')")
    AgentView agent(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return catalog.agent(caller.workspace(), id)
                .map(AgentView::of)
                .orElseThrow(() -> ProblemException.notFound("Agent", id));
    }
}
