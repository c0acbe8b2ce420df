package dev.guildhall.store.jdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.RunSnapshot;

/**
 * The event each checkpoint publishes through the outbox, in one place: the outbox writes it, and a
 * replay from the store (the server's event stream after a reconnect) rebuilds the same thing.
 */
public final class CheckpointEvents {
    private CheckpointEvents() {}

    /** {@code run:version}: the same checkpoint always has the same event id. */
    public static String id(RunSnapshot run) {
        return run.id().value() + ":" + run.version();
    }

    public static String type(RunSnapshot run) {
        return switch (run.status()) {
            case PENDING -> "run.created";
            case RUNNING -> run.superstep() == 0 ? "run.started" : "run.checkpointed";
            case SUSPENDED -> "run.suspended";
            case SUCCEEDED -> "run.succeeded";
            case FAILED -> "run.failed";
            case CANCELLED -> "run.cancelled";
        };
    }

    public static ObjectNode data(RunSnapshot run) {
        ObjectNode event = Json.object();
        event.put("run", run.id().value());
        event.put("workflow", run.workflowId());
        event.put("workspace", run.workspace().value());
        event.put("status", run.status().name());
        event.put("version", run.version());
        event.put("superstep", run.superstep());
        event.put("at", run.updatedAt().toString());
        if (run.failure() != null) {
            event.set("failure", Json.toTree(run.failure()));
        }
        return event;
    }
}
