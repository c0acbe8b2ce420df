package dev.guildhall.server;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.registry.AgentQuery;
import dev.guildhall.core.registry.AgentRegistry;
import dev.guildhall.core.workflow.Workflow;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The agents and workflows each workspace can see. For now one catalogue (loaded from a directory
 * such as examples/support-desk) is shared by the workspaces named at start-up; any other workspace
 * sees none, so it cannot read or start what it does not own.
 */
public final class WorkspaceCatalog {
    private final AgentRegistry agents;
    private final Map<String, Workflow> workflows;
    private final Set<WorkspaceId> workspaces;

    public WorkspaceCatalog(AgentRegistry agents, List<Workflow> workflows, Set<WorkspaceId> workspaces) {
        this.agents = agents;
        this.workflows =
                workflows.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(Workflow::id, w -> w));
        this.workspaces = Set.copyOf(workspaces);
    }

    /** The agents the engine resolves: every catalogue's. */
    public AgentRegistry registry() {
        return agents;
    }

    public List<Workflow> allWorkflows() {
        return workflows.values().stream()
                .sorted(java.util.Comparator.comparing(Workflow::id))
                .toList();
    }

    public List<Workflow> workflows(WorkspaceId workspace) {
        return workspaces.contains(workspace) ? allWorkflows() : List.of();
    }

    public Optional<Workflow> workflow(WorkspaceId workspace, String id) {
        return workspaces.contains(workspace) ? Optional.ofNullable(workflows.get(id)) : Optional.empty();
    }

    public List<Agent> agents(WorkspaceId workspace, AgentQuery query) {
        return workspaces.contains(workspace) ? agents.query(query) : List.of();
    }

    public Optional<Agent> agent(WorkspaceId workspace, String id) {
        if (!workspaces.contains(workspace) || id.isBlank()) {
            return Optional.empty();
        }
        return agents.find(AgentId.of(id));
    }
}
