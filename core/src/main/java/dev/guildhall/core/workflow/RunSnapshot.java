package dev.guildhall.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.Checks;
import dev.guildhall.core.RunId;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.workflow.internal.FrozenMap;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything needed to continue a run from where it stopped: the state after the last completed
 * superstep, the nodes to run next, loop counters, open waits and the journal of calls a
 * half-finished step already made. A store saves one of these per checkpoint.
 *
 * @param frontier nodes to run in the next superstep, in graph order
 * @param visits how often each node has been entered, to bound loops
 * @param waits the open wait of each suspended node
 * @param journal per node, results of calls its step already completed (see {@link StepContext#memo})
 * @param parent the run that started this one as a sub-workflow, if any
 * @param version incremented by every save; a store rejects a save whose version is stale
 */
public record RunSnapshot(
        RunId id,
        String workflowId,
        WorkspaceId workspace,
        @Nullable UserId user,
        @Nullable String idempotencyKey,
        @Nullable RunId parent,
        @Nullable String parentKey,
        RunStatus status,
        JsonNode input,
        State state,
        List<String> frontier,
        Map<String, Integer> visits,
        Map<String, Wait> waits,
        Map<String, Map<String, JsonNode>> journal,
        int superstep,
        @Nullable Failure failure,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public RunSnapshot {
        Checks.notNull(id, "id");
        Checks.notBlank(workflowId, "workflowId");
        Checks.notNull(workspace, "workspace");
        Checks.notNull(status, "status");
        Checks.notNull(input, "input");
        Checks.notNull(state, "state");
        frontier = List.copyOf(frontier);
        visits = visits instanceof FrozenMap ? visits : Map.copyOf(visits); // Already an immutable copy.
        waits = Map.copyOf(waits);
        journal = Map.copyOf(journal);
        Checks.notNull(createdAt, "createdAt");
        Checks.notNull(updatedAt, "updatedAt");
    }

    /**
     * The one way a run changes status.
     *
     * @throws IllegalRunTransitionException when the transition table forbids it
     */
    public RunSnapshot moveTo(RunStatus next, Instant at) {
        if (!status.canMoveTo(next)) {
            throw new IllegalRunTransitionException(id, status, next);
        }
        return new RunSnapshot(
                id,
                workflowId,
                workspace,
                user,
                idempotencyKey,
                parent,
                parentKey,
                next,
                input,
                state,
                frontier,
                visits,
                waits,
                journal,
                superstep,
                failure,
                createdAt,
                at,
                version);
    }

    public RunSnapshot withProgress(
            State newState,
            List<String> newFrontier,
            Map<String, Integer> newVisits,
            Map<String, Wait> newWaits,
            Map<String, Map<String, JsonNode>> newJournal,
            int newSuperstep,
            Instant at) {
        return new RunSnapshot(
                id,
                workflowId,
                workspace,
                user,
                idempotencyKey,
                parent,
                parentKey,
                status,
                input,
                newState,
                newFrontier,
                newVisits,
                newWaits,
                newJournal,
                newSuperstep,
                failure,
                createdAt,
                at,
                version);
    }

    public RunSnapshot withFailure(Failure newFailure) {
        return new RunSnapshot(
                id,
                workflowId,
                workspace,
                user,
                idempotencyKey,
                parent,
                parentKey,
                status,
                input,
                state,
                frontier,
                visits,
                waits,
                journal,
                superstep,
                newFailure,
                createdAt,
                updatedAt,
                version);
    }

    /**
     * This run put back to an earlier checkpoint of its own, RUNNING and without a failure, keeping
     * this snapshot's version: how an operator retries a failed run. Not in the transition table,
     * because it is a restore, not a step of the run's life.
     */
    public RunSnapshot restoredTo(RunSnapshot earlier, Instant at) {
        if (!earlier.id().equals(id)) {
            throw new IllegalArgumentException("checkpoint of run " + earlier.id() + " is not of run " + id);
        }
        return new RunSnapshot(
                id,
                workflowId,
                workspace,
                user,
                idempotencyKey,
                parent,
                parentKey,
                RunStatus.RUNNING,
                input,
                earlier.state,
                earlier.frontier,
                earlier.visits,
                earlier.waits,
                earlier.journal,
                earlier.superstep,
                null,
                createdAt,
                at,
                version);
    }

    /** The snapshot as the next version, which is what a store's save expects. */
    public RunSnapshot nextVersion() {
        return new RunSnapshot(
                id,
                workflowId,
                workspace,
                user,
                idempotencyKey,
                parent,
                parentKey,
                status,
                input,
                state,
                frontier,
                visits,
                waits,
                journal,
                superstep,
                failure,
                createdAt,
                updatedAt,
                version + 1);
    }

    public RunRef ref() {
        return new RunRef(id, workflowId, workspace);
    }
}
