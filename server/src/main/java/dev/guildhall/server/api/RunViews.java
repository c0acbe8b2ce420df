package dev.guildhall.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.Failure;
import dev.guildhall.core.workflow.RunSnapshot;
import dev.guildhall.core.workflow.State;
import dev.guildhall.server.WorkflowIds;
import dev.guildhall.store.jdbc.JdbcWorkspaceRuns.RunSummary;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The JSON shapes of runs. */
final class RunViews {
    private RunViews() {}

    record FailureView(String type, String message, boolean nonRetryable, @Nullable String step) {
        static @Nullable FailureView of(@Nullable Failure f) {
            return f == null ? null : new FailureView(f.type(), f.message(), f.nonRetryable(), f.step());
        }
    }

    record RunView(
            String id,
            String workspace,
            String workflow,
            @Nullable Integer workflowVersion,
            String status,
            @Nullable String idempotencyKey,
            JsonNode input,
            JsonNode state,
            List<String> frontier,
            List<String> waitingOn,
            int superstep,
            @Nullable FailureView failure,
            Instant createdAt,
            Instant updatedAt,
            long version) {
        static RunView of(RunSnapshot r) {
            return new RunView(
                    r.id().value(),
                    r.workspace().value(),
                    WorkflowIds.publicId(r.workflowId()),
                    WorkflowIds.version(r.workflowId()),
                    r.status().name(),
                    r.idempotencyKey(),
                    r.input(),
                    stateJson(r.state()),
                    r.frontier(),
                    r.waits().keySet().stream().sorted().toList(),
                    r.superstep(),
                    FailureView.of(r.failure()),
                    r.createdAt(),
                    r.updatedAt(),
                    r.version());
        }
    }

    record RunSummaryView(
            String id,
            String workflow,
            @Nullable Integer workflowVersion,
            String status,
            @Nullable String idempotencyKey,
            Instant createdAt,
            Instant updatedAt,
            long version) {
        static RunSummaryView of(RunSummary s) {
            return new RunSummaryView(
                    s.id().value(),
                    WorkflowIds.publicId(s.workflowId()),
                    WorkflowIds.version(s.workflowId()),
                    s.status().name(),
                    s.idempotencyKey(),
                    s.createdAt(),
                    s.updatedAt(),
                    s.version());
        }
    }

    record RunPage(List<RunSummaryView> items, @Nullable String next) {}

    /** One checkpoint of a run: what the run looked like after a superstep. */
    record StepView(
            long version,
            String status,
            int superstep,
            List<String> frontier,
            List<String> waitingOn,
            @Nullable FailureView failure,
            Instant at) {
        static StepView of(RunSnapshot r) {
            return new StepView(
                    r.version(),
                    r.status().name(),
                    r.superstep(),
                    r.frontier(),
                    r.waits().keySet().stream().sorted().toList(),
                    FailureView.of(r.failure()),
                    r.updatedAt());
        }
    }

    static JsonNode stateJson(State state) {
        ObjectNode out = Json.object();
        for (String name : state.names().stream().sorted().toList()) {
            out.set(name, Json.toTree(state.raw(name)));
        }
        return out;
    }
}
