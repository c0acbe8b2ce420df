package dev.guildhall.server.api;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.agent.AgentDescriptor;
import dev.guildhall.core.agent.Tier;
import dev.guildhall.core.definition.DefinitionError;
import dev.guildhall.core.definition.InvalidDefinitionException;
import dev.guildhall.core.registry.AgentQuery;
import dev.guildhall.core.registry.AgentRegistry;
import dev.guildhall.server.WorkspaceCatalog;
import dev.guildhall.server.security.Caller;
import java.io.StringReader;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The agents the caller's workspace can use, and checking an agent definition before it is deployed. */
@RestController
@RequestMapping("/api/v1")
class CatalogController {
    private final WorkspaceCatalog catalog;

    CatalogController(WorkspaceCatalog catalog) {
        this.catalog = catalog;
    }

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

    /**
     * @param valid always true: an invalid definition is a 422 problem listing every error
     * @param agents the agents the definition declares
     */
    record Validation(boolean valid, List<AgentView> agents) {}

    /**
     * Checks an agent definition (YAML, or JSON, which is YAML too) by the rules the registry applies
     * at start-up, as if it were added to the agents the workspace has: hand-overs must name a known
     * agent, and an id already taken is an error. Nothing is stored.
     */
    @PostMapping(
            path = "/agents/validate",
            consumes = {
                "application/yaml",
                "application/x-yaml",
                "text/yaml",
                "text/plain",
                MediaType.APPLICATION_JSON_VALUE
            })
    @PreAuthorize("hasAuthority('SCOPE_agents:read')")
    Validation validate(@AuthenticationPrincipal Caller caller, @RequestBody String definition) {
        if (definition.isBlank()) {
            throw ProblemException.invalid("body", "the body must be an agent definition in YAML or JSON");
        }
        AgentRegistry.Builder builder = AgentRegistry.builder();
        List<Agent> existing = catalog.agents(caller.workspace(), AgentQuery.any());
        existing.forEach(builder::add);
        builder.loadDefinitions("definition.yaml", new StringReader(definition));
        AgentRegistry built;
        try {
            built = builder.build();
        } catch (InvalidDefinitionException e) {
            // Messages may name where an existing agent was loaded from: only its file name leaves the server.
            List<DefinitionError> errors = e.errors().stream()
                    .map(err -> {
                        String message = err.message();
                        for (Agent a : existing) {
                            String source = a.descriptor().source();
                            if (!source.isEmpty()) {
                                message = message.replace(source, AgentView.sourceName(source));
                            }
                        }
                        return new DefinitionError(err.source(), err.line(), err.field(), message);
                    })
                    .toList();
            throw new ProblemException(Problems.invalidDefinition(errors));
        }
        java.util.Set<AgentId> before =
                existing.stream().map(a -> a.descriptor().id()).collect(java.util.stream.Collectors.toSet());
        return new Validation(
                true,
                built.all().stream()
                        .filter(a -> !before.contains(a.descriptor().id()))
                        .map(AgentView::of)
                        .toList());
    }

    @GetMapping("/agents/{id}")
    @PreAuthorize("hasAuthority('SCOPE_agents:read')")
    AgentView agent(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return catalog.agent(caller.workspace(), id)
                .map(AgentView::of)
                .orElseThrow(() -> ProblemException.notFound("Agent", id));
    }
}
