package dev.guildhall.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.NotFoundException;
import dev.guildhall.core.RunId;
import dev.guildhall.core.WorkspaceId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where runs and their checkpoints live. The in-memory store is the test double of the durable
 * JDBC store: both keep copies, check versions and pass the same contract tests.
 * Implementations are thread-safe.
 */
public interface RunStore {

    /**
     * Stores a new run (version 0), or returns the existing run when the workspace already has
     * one with the same idempotency key.
     */
    RunSnapshot create(RunSnapshot run);

    /**
     * Saves a checkpoint: {@code next.version()} must be exactly one more than the stored one.
     *
     * @throws StaleVersionException when another writer saved first
     * @throws NotFoundException when the run does not exist
     */
    RunSnapshot save(RunSnapshot next);

    Optional<RunSnapshot> find(RunId id);

    default RunSnapshot get(RunId id) {
        return find(id).orElseThrow(() -> new NotFoundException("Run", id));
    }

    Optional<RunSnapshot> findByIdempotencyKey(WorkspaceId workspace, String key);

    /** Every saved checkpoint of a run, oldest first. */
    List<RunSnapshot> history(RunId id);

    /** The sub-workflow runs {@code parent} started, in any status. */
    List<RunId> children(RunId parent);

    /**
     * Durably records a result a step got from {@code memo} or {@code call} before the step
     * finishes, so that the step run again after a crash gets it instead of calling again. The
     * engine records only when it drives runs from a queue; a store that does not outlive its
     * process need not keep anything.
     *
     * @param step the node, suffixed {@code #n} on its n-th visit, so a loop's visits stay apart
     */
    default void recordCall(RunId run, String step, String key, JsonNode result) {}

    /** The results {@link #recordCall} kept for the run, by step and key; empty when none. */
    default Map<String, Map<String, JsonNode>> recordedCalls(RunId run) {
        return Map.of();
    }
}
