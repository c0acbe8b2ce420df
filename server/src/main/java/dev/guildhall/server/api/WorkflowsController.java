package dev.guildhall.server.api;

import dev.guildhall.core.definition.InvalidDefinitionException;
import dev.guildhall.core.workflow.Node;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.server.WorkflowIds;
import dev.guildhall.server.WorkspaceCatalog;
import dev.guildhall.server.WorkspaceCatalog.Entry;
import dev.guildhall.server.security.Caller;
import dev.guildhall.store.jdbc.JdbcWorkflowDefinitions;
import dev.guildhall.store.jdbc.JdbcWorkflowDefinitions.Definition;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The workflows the caller's workspace can run: the shared ones and the declarative ones it
 * registered (YAML as in docs/WORKFLOWS.md, checked against the agents the workspace has).
 */
@RestController
@RequestMapping("/api/v1/workflows")
class WorkflowsController {

    private final WorkspaceCatalog catalog;
    private final JdbcWorkflowDefinitions definitions;
    private final Clock clock;
    private final AuditController.Recorder audit;

    WorkflowsController(
            WorkspaceCatalog catalog,
            JdbcWorkflowDefinitions definitions,
            Clock clock,
            AuditController.Recorder audit) {
        this.catalog = catalog;
        this.definitions = definitions;
        this.clock = clock;
        this.audit = audit;
    }

    /** @param version the registered version, absent for a shared workflow */
    record WorkflowSummary(
            String id,
            String description,
            String start,
            List<String> nodes,
            boolean shared,
            @Nullable Integer version) {
        static WorkflowSummary of(Entry e) {
            Workflow w = e.workflow();
            return new WorkflowSummary(
                    e.id(),
                    w.description(),
                    w.start(),
                    w.nodes().stream().map(Node::id).toList(),
                    e.shared(),
                    e.shared() ? null : e.version());
        }
    }

    record WorkflowView(
            String id,
            String description,
            String start,
            List<NodeView> nodes,
            int maxSteps,
            String mermaid,
            boolean shared,
            @Nullable Integer version,
            @Nullable String registeredBy,
            @Nullable Instant registeredAt,
            @Nullable String yaml) {
        static WorkflowView of(Entry e) {
            Workflow w = e.workflow();
            return new WorkflowView(
                    e.id(),
                    w.description(),
                    w.start(),
                    w.nodes().stream()
                            .map(n -> new NodeView(
                                    n.id(), n.agent() == null ? null : n.agent().value()))
                            .toList(),
                    w.maxSteps(),
                    w.toMermaid().replace(w.id(), e.id()),
                    e.shared(),
                    e.shared() ? null : e.version(),
                    e.registeredBy() == null ? null : e.registeredBy().value(),
                    e.registeredAt(),
                    e.yaml());
        }
    }

    record NodeView(String id, @Nullable String agent) {}

    @GetMapping
    @PreAuthorize("hasAuthority('SCOPE_workflows:read')")
    List<WorkflowSummary> list(@AuthenticationPrincipal Caller caller) {
        return catalog.workflows(caller.workspace()).stream()
                .map(WorkflowSummary::of)
                .toList();
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('SCOPE_workflows:read')")
    WorkflowView get(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return catalog.workflow(caller.workspace(), id)
                .map(WorkflowView::of)
                .orElseThrow(() -> ProblemException.notFound("Workflow", id));
    }

    /** Registers a new workflow of the workspace (version 1); 409 when the id is taken. */
    @PostMapping(consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/plain", "application/json"})
    @PreAuthorize("hasAuthority('SCOPE_workflows:write')")
    ResponseEntity<WorkflowView> register(
            @AuthenticationPrincipal Caller caller, @RequestBody String yaml, HttpServletRequest http) {
        Workflow parsed = parse(yaml);
        if (catalog.isShared(parsed.id())) {
            throw ProblemException.conflict("Workflow " + parsed.id() + " is a shared workflow; choose another id");
        }
        if (definitions.latest(caller.workspace(), parsed.id()).isPresent()) {
            throw ProblemException.conflict(
                    "Workflow " + parsed.id() + " exists; replace it with PUT /api/v1/workflows/" + parsed.id());
        }
        Entry e = store(caller, parsed.id(), 1, yaml);
        audit.record(caller, "workflow.register", e.id(), "version=1", http);
        return ResponseEntity.created(URI.create("/api/v1/workflows/" + e.id())).body(WorkflowView.of(e));
    }

    /** Replaces the workspace's workflow with a new version; runs already started keep theirs. */
    @PutMapping(
            path = "/{id}",
            consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/plain", "application/json"})
    @PreAuthorize("hasAuthority('SCOPE_workflows:write')")
    WorkflowView replace(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @RequestBody String yaml,
            HttpServletRequest http) {
        Optional<Definition> current =
                WorkflowIds.isValid(id) ? definitions.latest(caller.workspace(), id) : Optional.empty();
        if (current.isEmpty()) {
            throw ProblemException.notFound("Workflow", id);
        }
        Workflow parsed = parse(yaml);
        if (!parsed.id().equals(id)) {
            throw ProblemException.invalid("id", "the definition's id is " + parsed.id() + ", not " + id);
        }
        int version = current.get().version() + 1;
        Entry e = store(caller, id, version, yaml);
        audit.record(caller, "workflow.replace", id, "version=" + version, http);
        return WorkflowView.of(e);
    }

    private Workflow parse(String yaml) {
        if (yaml.isBlank()) {
            throw ProblemException.invalid("body", "the body must be a workflow definition in YAML");
        }
        Workflow parsed;
        try {
            parsed = catalog.parse(yaml);
        } catch (InvalidDefinitionException e) {
            throw new ProblemException(Problems.invalidDefinition(e.errors()));
        } catch (RuntimeException e) {
            // The graph builder's own checks (unreachable steps, ...) after the definition's.
            throw ProblemException.invalid("steps", e.getMessage());
        }
        if (!WorkflowIds.isValid(parsed.id())) {
            throw ProblemException.invalid("id", "id must be 1 to 100 letters, digits, '-' or '_'");
        }
        return parsed;
    }

    private Entry store(Caller caller, String id, int version, String yaml) {
        boolean stored = definitions.insert(
                new Definition(caller.workspace(), id, version, yaml, caller.user(), clock.instant()));
        if (!stored) {
            throw ProblemException.conflict("Workflow " + id + " was changed at the same time; read it and try again");
        }
        return catalog.workflow(caller.workspace(), id).orElseThrow();
    }
}
