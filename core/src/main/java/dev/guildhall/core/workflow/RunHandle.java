package dev.guildhall.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.RunId;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A started run: its id, and ways to wait for it, signal it or cancel it. */
public final class RunHandle {
    private final RunId id;
    private final WorkflowEngine engine;

    RunHandle(RunId id, WorkflowEngine engine) {
        this.id = id;
        this.engine = engine;
    }

    public RunId id() {
        return id;
    }

    /** Completes when the run reaches a terminal status. */
    public CompletableFuture<RunResult> completion() {
        return engine.completion(id);
    }

    /** Waits until the run finishes or suspends with nothing left to do. */
    public RunResult awaitSettled(Duration timeout) {
        return engine.awaitSettled(id, timeout);
    }

    public void signal(String name, JsonNode payload) {
        engine.signal(id, name, payload);
    }

    public void cancel(String reason) {
        engine.cancel(id, reason);
    }

    public RunSnapshot snapshot() {
        return engine.store().get(id);
    }
}
