package dev.guildhall.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.guildhall.core.RetryableException;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Behaviour the engine's fast paths must keep: parallel supersteps whose nodes the driver and
 * helper tasks claim, the no-op listener, and completion futures that do not outlive their run.
 */
class WorkflowEngineHotPathTest {
    static final WorkspaceId WS = WorkspaceId.of("acme");
    static final StateKey<Integer> COUNT = StateKey.of("count", Integer.class);
    static final StateKey<List<String>> TRAIL = StateKey.list("trail", String.class);
    static final Duration WAIT = Duration.ofSeconds(10);

    final RecordingListener events = new RecordingListener();
    final WorkflowEngine engine = WorkflowEngine.builder().listener(events).build();

    @AfterEach
    void close() {
        engine.close();
    }

    static Step mark(String name) {
        return Step.of(s -> Update.of(TRAIL, List.of(name)));
    }

    static Workflow fanOut(String id, int width, Step branch) {
        Workflow.Builder b = Workflow.builder(id)
                .keys(TRAIL)
                .maxConcurrency(width)
                .step("start", mark("start"))
                .step("join", mark("join"), StepOptions.builder().join(true).build());
        String[] branches = new String[width];
        for (int i = 0; i < width; i++) {
            branches[i] = "b" + i;
            b.step(branches[i], branch).edge(branches[i], "join");
        }
        return b.edge("start", branches).build();
    }

    @Test
    void a_wide_fan_out_runs_every_branch_once_and_applies_updates_in_graph_order() {
        Workflow wf = fanOut("wide", 32, ctx -> StepOutcome.completed(TRAIL, List.of(ctx.node())));

        RunResult r = engine.run(wf, StartRequest.of(WS, Json.object()), WAIT);

        List<String> expected = new ArrayList<>(List.of("start"));
        for (int i = 0; i < 32; i++) {
            expected.add("b" + i);
        }
        expected.add("join");
        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.state().get(TRAIL)).containsExactlyElementsOf(expected);
        assertThat(events.stepsStarted()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void cancelling_during_a_fan_out_interrupts_every_running_branch() throws Exception {
        int width = 4;
        CountDownLatch allRunning = new CountDownLatch(width);
        AtomicInteger interrupted = new AtomicInteger();
        Step blocked = ctx -> {
            allRunning.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
            }
            return StepOutcome.nothing();
        };
        RunHandle handle = engine.start(fanOut("stuck", width, blocked), StartRequest.of(WS, Json.object()));
        assertThat(allRunning.await(5, TimeUnit.SECONDS))
                .as("all branches run at once")
                .isTrue();

        handle.cancel("user asked");
        RunResult r = handle.completion().get(5, TimeUnit.SECONDS);

        assertThat(r.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(r.state().get(TRAIL)).containsExactly("start");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(interrupted.get()).isEqualTo(width));
    }

    @Test
    void an_error_thrown_by_a_parallel_branch_fails_the_run() {
        Step broken = ctx -> {
            if (ctx.node().equals("b2")) {
                throw new AssertionError("branch bug");
            }
            return StepOutcome.nothing();
        };

        RunResult r = engine.run(fanOut("broken", 4, broken), StartRequest.of(WS, Json.object()), WAIT);

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.failure().message()).contains("engine error in parallel superstep");
    }

    @Test
    void without_a_listener_loops_retries_and_fan_outs_give_the_same_state() {
        AtomicInteger calls = new AtomicInteger();
        Step flaky = ctx -> {
            if (calls.incrementAndGet() < 2) {
                throw new RetryableException("provider busy");
            }
            return StepOutcome.completed(TRAIL, List.of("flaky@" + ctx.attempt()));
        };
        RetryPolicy retry = RetryPolicy.builder()
                .maxAttempts(3)
                .initialInterval(Duration.ofMillis(1))
                .maximumInterval(Duration.ofMillis(2))
                .build();
        Workflow wf = Workflow.builder("quiet")
                .keys(TRAIL, COUNT)
                .step("flaky", flaky, StepOptions.builder().retry(retry).build())
                .step(
                        "inc",
                        ctx -> StepOutcome.completed(
                                Update.of(COUNT, ctx.state().getOrDefault(COUNT, 0) + 1)
                                        .and(TRAIL, List.of(ctx.step()))))
                .step("left", mark("left"))
                .edge("flaky", "inc")
                .choose("inc", s -> s.get(COUNT) < 3 ? "again" : "split", Map.of("again", "inc", "split", "left"))
                .build();
        Workflow split = Workflow.builder("quiet-split")
                .keys(TRAIL)
                .step("a", mark("a"))
                .step("l", mark("l"))
                .step("r", mark("r"))
                .edge("a", "l", "r")
                .build();

        try (WorkflowEngine quiet =
                WorkflowEngine.builder().listener(RunListener.noop()).build()) {
            RunResult r = quiet.run(wf, StartRequest.of(WS, Json.object()), WAIT);
            RunResult s = quiet.run(split, StartRequest.of(WS, Json.object()), WAIT);

            assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(r.state().get(TRAIL)).containsExactly("flaky@2", "inc", "inc#2", "inc#3", "left");
            assertThat(s.state().get(TRAIL)).containsExactly("a", "l", "r");
        }
        assertThat(RunListener.noop()).isSameAs(RunListener.noop());
    }

    @Test
    void completion_of_a_finished_run_is_complete_at_once_every_time_it_is_asked() throws Exception {
        RunHandle handle = engine.start(
                Workflow.builder("one").keys(TRAIL).step("a", mark("a")).build(), StartRequest.of(WS, Json.object()));
        RunResult first = handle.completion().get(5, TimeUnit.SECONDS);

        assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(handle.completion()).isCompletedWithValueMatching(r -> r.status() == RunStatus.SUCCEEDED);
        assertThat(engine.completion(handle.id()))
                .isCompletedWithValueMatching(r -> r.state().get(TRAIL).equals(List.of("a")));
    }
}
