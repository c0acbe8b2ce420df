package dev.guildhall.core.workflow;

import dev.guildhall.core.NotFoundException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Workflows by id, so that a run read back from a store finds its graph. Thread-safe. */
public final class WorkflowRegistry {
    private final Map<String, Workflow> workflows = new ConcurrentHashMap<>();

    /** Registers {@code workflow}, replacing any earlier one with its id. */
    public WorkflowRegistry register(Workflow workflow) {
        workflows.put(workflow.id(), workflow);
        return this;
    }

    public Optional<Workflow> find(String id) {
        return Optional.ofNullable(workflows.get(id));
    }

    public Workflow get(String id) {
        return find(id).orElseThrow(() -> new NotFoundException("Workflow", id));
    }

    public List<Workflow> all() {
        return workflows.values().stream()
                .sorted(java.util.Comparator.comparing(Workflow::id))
                .toList();
    }
}
