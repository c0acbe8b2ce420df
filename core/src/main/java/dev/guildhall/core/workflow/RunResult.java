package dev.guildhall.core.workflow;

import dev.guildhall.core.RunId;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Where a run stands when it settles: finished (any terminal status) or suspended on waits. */
public record RunResult(
        RunId id, String workflow, RunStatus status, State state, @Nullable Failure failure, Map<String, Wait> waits) {
    public RunResult {
        waits = Map.copyOf(waits);
    }

    static RunResult of(RunSnapshot s) {
        return new RunResult(s.id(), s.workflowId(), s.status(), s.state(), s.failure(), s.waits());
    }

    public boolean succeeded() {
        return status == RunStatus.SUCCEEDED;
    }

    public Optional<Failure> findFailure() {
        return Optional.ofNullable(failure);
    }
}
