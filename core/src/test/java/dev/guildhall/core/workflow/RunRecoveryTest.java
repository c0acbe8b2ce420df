package dev.guildhall.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.RunId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A process that died left a run RUNNING in the store; another engine on the same store continues
 * it from the last checkpoint. Completed steps and journaled calls are not done again.
 */
class RunRecoveryTest {
    static final StateKey<List<String>> TRAIL = StateKey.list("trail", String.class);
    static final WorkspaceId WS = WorkspaceId.of("acme");

    final AtomicInteger fetches = new AtomicInteger();
    final AtomicInteger smsSent = new AtomicInteger();

    Workflow workflow() {
        return Workflow.builder("onboard")
                .keys(TRAIL)
                .step("fetch", Step.of(s -> {
                    fetches.incrementAndGet();
                    return Update.of(TRAIL, List.of("fetched"));
                }))
                .step("notify", ctx -> {
                    int sent = ctx.memo("sms", Integer.class, smsSent::incrementAndGet);
                    return StepOutcome.completed(TRAIL, List.of("sms#" + sent));
                })
                .step("close", Step.of(s -> Update.of(TRAIL, List.of("closed"))))
                .chain("fetch", "notify", "close")
                .build();
    }

    /** The checkpoint a crashed process left: fetch done, notify half done (its SMS journaled). */
    static RunSnapshot leftByACrash(RunId id) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        JsonNode smsJournal = Json.toTree(1);
        return new RunSnapshot(
                id,
                "onboard",
                WS,
                null,
                null,
                null,
                null,
                RunStatus.RUNNING,
                Json.object(),
                State.fromJson(Json.parse("{\"trail\":[\"fetched\"]}")),
                List.of("notify"),
                Map.of("fetch", 1, "notify", 1),
                Map.of(),
                Map.of("notify", Map.of("memo:sms", smsJournal)),
                1,
                null,
                t,
                t,
                3);
    }

    @Test
    void a_run_left_running_by_a_crash_continues_from_its_checkpoint_without_redoing_work() {
        InMemoryRunStore store = new InMemoryRunStore();
        RunId id = RunId.of("crashed-run");
        store.create(leftByACrash(id));
        WorkflowRegistry workflows = new WorkflowRegistry().register(workflow());
        RecordingListener events = new RecordingListener();

        try (WorkflowEngine survivor = WorkflowEngine.builder()
                .store(store)
                .workflows(workflows)
                .listener(events)
                .build()) {
            survivor.recover(id);
            RunResult r = survivor.awaitSettled(id, Duration.ofSeconds(5));

            assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(r.state().get(TRAIL)).containsExactly("fetched", "sms#1", "closed");
        }
        assertThat(fetches.get()).as("completed step not re-run").isZero();
        assertThat(smsSent.get()).as("journaled effect not repeated").isZero();
        assertThat(events.stepsStarted()).containsExactly("notify", "close");
    }

    @Test
    void recovering_a_finished_run_changes_nothing() {
        InMemoryRunStore store = new InMemoryRunStore();
        WorkflowRegistry workflows = new WorkflowRegistry();
        RunId id;
        try (WorkflowEngine first =
                WorkflowEngine.builder().store(store).workflows(workflows).build()) {
            id = first.run(workflow(), StartRequest.of(WS, Json.object()), Duration.ofSeconds(5))
                    .id();
        }
        long versions = store.history(id).size();

        try (WorkflowEngine second =
                WorkflowEngine.builder().store(store).workflows(workflows).build()) {
            second.recover(id);
            assertThat(second.awaitSettled(id, Duration.ofSeconds(5)).status()).isEqualTo(RunStatus.SUCCEEDED);
        }
        assertThat(store.history(id)).hasSize((int) versions);
        assertThat(fetches.get()).isEqualTo(1);
    }

    @Test
    void a_parent_step_run_again_after_a_crash_finds_the_child_it_started_instead_of_starting_another() {
        AtomicInteger childRuns = new AtomicInteger();
        Workflow child = Workflow.builder("kid")
                .keys(TRAIL)
                .step("work", Step.of(s -> {
                    childRuns.incrementAndGet();
                    return Update.of(TRAIL, List.of("kid-done"));
                }))
                .build();
        Workflow parent = Workflow.builder("parent")
                .keys(TRAIL)
                .step("spawn", ctx -> {
                    JsonNode outcome = ctx.runChild("kid", child, Json.object());
                    return StepOutcome.completed(
                            TRAIL,
                            List.of("child said "
                                    + outcome.path("trail").path(0).asText()));
                })
                .build();
        InMemoryRunStore store = new InMemoryRunStore();
        WorkflowRegistry workflows = new WorkflowRegistry().register(parent).register(child);
        RunId parentId = RunId.of("parent-run");
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        // What a crash leaves: the child was started and finished, but the parent's checkpoint
        // never recorded starting it (the process died before its journal was saved).
        store.create(new RunSnapshot(
                parentId,
                "parent",
                WS,
                null,
                null,
                null,
                null,
                RunStatus.RUNNING,
                Json.object(),
                State.empty(),
                List.of("spawn"),
                Map.of("spawn", 1),
                Map.of(),
                Map.of(),
                0,
                null,
                t,
                t,
                0));
        RunId childId;
        try (WorkflowEngine before =
                WorkflowEngine.builder().store(store).workflows(workflows).build()) {
            childId = before.run(
                            child,
                            new StartRequest(WS, Json.object(), null, "child:parent-run:spawn:kid"),
                            Duration.ofSeconds(5))
                    .id();
        }
        assertThat(childRuns).hasValue(1);

        try (WorkflowEngine survivor =
                WorkflowEngine.builder().store(store).workflows(workflows).build()) {
            survivor.recover(parentId);
            survivor.awaitSettled(parentId, Duration.ofSeconds(5));
            // The finished child had no parent on record to tell; the survivor's lookup found it,
            // so deliver its outcome as the engine does for a child that finishes later.
            ObjectNode outcome = Json.object().put("status", "SUCCEEDED").put("run", childId.value());
            outcome.set("state", store.get(childId).state().toJson());
            survivor.signal(parentId, "child:kid", outcome);
            RunResult r = survivor.awaitSettled(parentId, Duration.ofSeconds(5));

            assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(r.state().get(TRAIL)).containsExactly("child said kid-done");
        }
        assertThat(childRuns).as("the child ran once").hasValue(1);
        assertThat(store.findByIdempotencyKey(WS, "child:parent-run:spawn:kid"))
                .map(RunSnapshot::id)
                .contains(childId);
    }
}
