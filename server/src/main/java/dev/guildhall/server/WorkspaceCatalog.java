package dev.guildhall.server;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.definition.InvalidDefinitionException;
import dev.guildhall.core.registry.AgentQuery;
import dev.guildhall.core.registry.AgentRegistry;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.definition.WorkflowDefinitions;
import dev.guildhall.store.jdbc.JdbcWorkflowDefinitions;
import dev.guildhall.store.jdbc.JdbcWorkflowDefinitions.Definition;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents and workflows each workspace can use: the shared catalogue loaded at start-up (the demo
 * or a pack; every workspace sees it) plus the declarative workflows the workspace registered
 * itself, which no other workspace sees.
 *
 * <p>Registered workflows live in the database ({@link JdbcWorkflowDefinitions}), one immutable row
 * per version, so every node finds them. The engine knows each version under an id of its own,
 * {@code <workspace>/<id>@<version>}: two workspaces can both have a workflow {@code triage}, and a
 * run started on version 1 keeps its graph after version 2 is registered. Shared workflow ids never
 * contain {@code /} (workflow ids are letters, digits, '-' and '_'), so the two kinds cannot collide.
 */
public final class WorkspaceCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(WorkspaceCatalog.class);
    private final AgentRegistry agents;
    private final Map<String, Workflow> shared;
    private final Map<String, String> sharedYaml;
    private final @Nullable JdbcWorkflowDefinitions definitions;
    /** Parsed versions by engine id; a version never changes once stored. */
    private final Map<String, Workflow> parsed = new ConcurrentHashMap<>();

    /**
     * @param sharedYaml the YAML of the shared workflows that came from a file, by id
     * @param definitions the registered workflows, or null for a catalogue of shared ones only
     */
    public WorkspaceCatalog(
            AgentRegistry agents,
            List<Workflow> shared,
            Map<String, String> sharedYaml,
            @Nullable JdbcWorkflowDefinitions definitions) {
        this.agents = agents;
        this.shared = shared.stream().collect(Collectors.toUnmodifiableMap(Workflow::id, w -> w));
        this.sharedYaml = Map.copyOf(sharedYaml);
        this.definitions = definitions;
    }

    /**
     * A workflow as a workspace sees it.
     *
     * @param id the id clients use
     * @param workflow the graph, under the engine's id
     * @param version the registered version, or 0 for a shared workflow
     * @param yaml the definition as given, or null when the workflow was built in code
     */
    public record Entry(
            String id,
            Workflow workflow,
            int version,
            @Nullable String yaml,
            @Nullable UserId registeredBy,
            @Nullable Instant registeredAt) {
        public boolean shared() {
            return version == 0;
        }
    }

    /** The agents the engine resolves, shared by every workspace. */
    public AgentRegistry registry() {
        return agents;
    }

    /** The shared workflows, registered with the engine at start-up. */
    public List<Workflow> allWorkflows() {
        return shared.values().stream()
                .sorted(Comparator.comparing(Workflow::id))
                .toList();
    }

    /** The shared workflows and the workspace's own, by id. */
    public List<Entry> workflows(WorkspaceId workspace) {
        List<Entry> out = new ArrayList<>();
        shared.values().forEach(w -> out.add(sharedEntry(w)));
        if (definitions != null) {
            for (Definition d : definitions.list(workspace)) {
                try {
                    out.add(entry(d));
                } catch (InvalidDefinitionException e) {
                    // An agent it names is gone from the shared catalogue: listed nowhere, kept in the store.
                    LOG.warn(
                            "Workflow {}/{} v{} no longer validates: {}",
                            d.workspace(),
                            d.id(),
                            d.version(),
                            e.getMessage());
                }
            }
        }
        out.sort(Comparator.comparing(Entry::id));
        return out;
    }

    public Optional<Entry> workflow(WorkspaceId workspace, String id) {
        Workflow s = shared.get(id);
        if (s != null) {
            return Optional.of(sharedEntry(s));
        }
        if (definitions == null || !WorkflowIds.isValid(id)) {
            return Optional.empty();
        }
        return definitions.latest(workspace, id).map(this::entry);
    }

    /** Whether {@code id} is a shared workflow's, which no workspace may register as its own. */
    public boolean isShared(String id) {
        return shared.containsKey(id);
    }

    /** Every engine id runs of the workspace's workflow {@code id} can carry (each version's). */
    public List<String> engineIds(WorkspaceId workspace, String id) {
        if (shared.containsKey(id)) {
            return List.of(id);
        }
        if (definitions == null || !WorkflowIds.isValid(id)) {
            return List.of();
        }
        return definitions.versions(workspace, id).stream()
                .map(v -> WorkflowIds.engineId(workspace, id, v))
                .toList();
    }

    /**
     * The workflow the engine knows as {@code engineId}, read from the database when this node has
     * not seen it yet: how a node drives runs of workflows registered on another node.
     */
    public Optional<Workflow> resolve(String engineId) {
        Workflow known = parsed.get(engineId);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<WorkflowIds.Registered> ref = WorkflowIds.parse(engineId);
        if (ref.isEmpty() || definitions == null) {
            return Optional.empty();
        }
        try {
            return definitions
                    .version(ref.get().workspace(), ref.get().id(), ref.get().version())
                    .map(d -> entry(d).workflow());
        } catch (InvalidDefinitionException e) {
            LOG.warn("Workflow {} no longer validates: {}", engineId, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Parses a workflow definition against the shared agents.
     *
     * @throws dev.guildhall.core.definition.InvalidDefinitionException with every problem, line and field
     */
    public Workflow parse(String yaml) {
        return WorkflowDefinitions.parse("workflow.yaml", new StringReader(yaml), agents);
    }

    public List<Agent> agents(WorkspaceId workspace, AgentQuery query) {
        return agents.query(query);
    }

    public Optional<Agent> agent(WorkspaceId workspace, String id) {
        if (id.isBlank()) {
            return Optional.empty();
        }
        return agents.find(AgentId.of(id));
    }

    private Entry sharedEntry(Workflow w) {
        return new Entry(w.id(), w, 0, sharedYaml.get(w.id()), null, null);
    }

    private Entry entry(Definition d) {
        String engineId = WorkflowIds.engineId(d.workspace(), d.id(), d.version());
        Workflow w = parsed.computeIfAbsent(engineId, k -> parse(d.yaml()).withId(k));
        return new Entry(d.id(), w, d.version(), d.yaml(), d.createdBy(), d.createdAt());
    }
}
