package dev.guildhall.core.workflow;

import dev.guildhall.core.NotFoundException;
import dev.guildhall.core.RunId;
import dev.guildhall.core.WorkspaceId;
import java.util.List;
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
}
