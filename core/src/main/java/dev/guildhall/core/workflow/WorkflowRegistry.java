package dev.guildhall.core.workflow;

import dev.guildhall.core.NotFoundException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Workflows by id, so that a run read back from a store finds its graph. Thread-safe. */
public final class WorkflowRegistry {
    private final Map<String, Workflow> workflows = new ConcurrentHashMap<>();
    private final Function<String, Optional<Workflow>> fallback;

    public WorkflowRegistry() {
        this(id -> Optional.empty());
    }

    /**
     * A registry that asks {@code fallback} for an id it does not hold and keeps what it answers:
     * workflows registered elsewhere (in a database, by another node) are found where they are run.
     */
    public WorkflowRegistry(Function<String, Optional<Workflow>> fallback) {
        this.fallback = java.util.Objects.requireNonNull(fallback, "fallback");
    }

    /** Registers {@code workflow}, replacing any earlier one with its id. */
    public WorkflowRegistry register(Workflow workflow) {
        workflows.put(workflow.id(), workflow);
        return this;
    }

    public Optional<Workflow> find(String id) {
        Workflow known = workflows.get(id);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Workflow> found = fallback.apply(id);
        found.ifPresent(w -> workflows.putIfAbsent(id, w));
        return found;
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
