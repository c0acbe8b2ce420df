package dev.guildhall.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.NonRetryableException;
import dev.guildhall.core.RetryableException;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.retry.RetryPolicy;
import dev.guildhall.core.time.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkflowEngineTest {
    static final WorkspaceId WS = WorkspaceId.of("acme");
    static final StateKey<Integer> COUNT = StateKey.of("count", Integer.class);
    static final StateKey<List<String>> TRAIL = StateKey.list("trail", String.class);
    static final Duration WAIT = Duration.ofSeconds(10);

    final RecordingListener events = new RecordingListener();
    final MutableClock clock = MutableClock.start();
    final WorkflowEngine engine = WorkflowEngine.builder()
            .listener(events)
            .clock(clock)
            .random(new Random(7))
            .build();

    @AfterEach
    void close() {
        engine.close();
    }

    static Step mark(String name) {
        return Step.of(s -> Update.of(TRAIL, List.of(name)));
    }

    RunResult run(Workflow wf) {
        return engine.run(wf, StartRequest.of(WS, Json.object()), WAIT);
    }

    @Test
    void runs_chained_steps_in_order_and_reports_every_state_change() {
        Workflow wf = Workflow.builder("chain")
                .keys(TRAIL)
                .step("a", mark("a"))
                .step("b", mark("b"))
                .step("c", mark("c"))
                .chain("a", "b", "c")
                .build();

        RunResult result = run(wf);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.state().get(TRAIL)).containsExactly("a", "b", "c");
        assertThat(events.types())
                .containsExactly(
                        "RunStarted",
                        "StepStarted",
                        "StepSucceeded",
                        "StepStarted",
                        "StepSucceeded",
                        "StepStarted",
                        "StepSucceeded",
                        "RunSucceeded");
        assertThat(engine.store().history(result.id())).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void conditional_edge_picks_the_route_from_the_state() {
        StateKey<String> KIND = StateKey.of("kind", String.class);
        Workflow wf = Workflow.builder("route")
                .keys(TRAIL, KIND)
                .step("classify", mark("classify"))
                .step("billing", mark("billing"))
                .step("tech", mark("tech"))
                .choose("classify", s -> s.get(KIND), Map.of("billing", "billing", "tech", "tech"))
                .build();

        RunResult r = engine.run(wf, StartRequest.of(WS, Json.parse("{\"kind\":\"tech\"}")), WAIT);

        assertThat(r.state().get(TRAIL)).containsExactly("classify", "tech");
    }

    @Test
    void a_choice_without_a_route_fails_the_run_with_the_labels() {
        Workflow wf = Workflow.builder("route")
                .step("a", mark("a"))
                .step("b", mark("b"))
                .choose("a", s -> "nowhere", Map.of("b", "b"))
                .build();

        RunResult r = run(wf);

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.failure().message()).contains("no route for choice \"nowhere\"");
    }

    @Test
    void a_loop_runs_until_its_condition_and_each_visit_gets_its_own_step_name() {
        Workflow wf = Workflow.builder("loop")
                .keys(COUNT)
                .step("inc", Step.of(s -> Update.of(COUNT, s.getOrDefault(COUNT, 0) + 1)))
                .choose("inc", s -> s.get(COUNT) < 3 ? "again" : "done", Map.of("again", "inc", "done", Workflow.END))
                .build();

        RunResult r = run(wf);

        assertThat(r.state().get(COUNT)).isEqualTo(3);
        assertThat(events.stepsStarted()).containsExactly("inc", "inc#2", "inc#3");
    }

    @Test
    void a_loop_past_its_bound_fails_instead_of_spinning() {
        Workflow wf = Workflow.builder("spin")
                .step(
                        "again",
                        Step.of(s -> Update.none()),
                        StepOptions.builder().maxVisits(5).build())
                .edge("again", "again")
                .build();

        RunResult r = run(wf);

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.failure().type()).isEqualTo("LoopLimitExceededException");
        assertThat(r.failure().message()).contains("\"again\"", "bound of 5");
    }

    @Test
    void fan_out_runs_branches_in_parallel_and_the_join_waits_for_the_longest_branch() throws Exception {
        CountDownLatch bothRunning = new CountDownLatch(2);
        Step meet = ctx -> {
            bothRunning.countDown();
            assertThat(bothRunning.await(5, TimeUnit.SECONDS))
                    .as("siblings run at the same time")
                    .isTrue();
            return StepOutcome.completed(TRAIL, List.of(ctx.node()));
        };
        Workflow wf = Workflow.builder("fan")
                .keys(TRAIL)
                .step("split", mark("split"))
                .step("left", meet)
                .step("right", meet)
                .step("right2", mark("right2"))
                .step("join", mark("join"), StepOptions.builder().join(true).build())
                .edge("split", "left", "right")
                .edge("left", "join")
                .edge("right", "right2")
                .edge("right2", "join")
                .build();

        RunResult r = run(wf);

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        // Updates of one superstep are applied in graph order, not completion order.
        assertThat(r.state().get(TRAIL)).containsExactly("split", "left", "right", "right2", "join");
        assertThat(events.stepsStarted()).filteredOn("join"::equals).hasSize(1);
    }

    @Test
    void parallel_branches_respect_the_concurrency_bound() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Step busy = ctx -> {
            int now = running.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            await().pollDelay(Duration.ofMillis(20)).until(() -> true);
            running.decrementAndGet();
            return StepOutcome.nothing();
        };
        Workflow.Builder b = Workflow.builder("bounded").maxConcurrency(2).step("start", Step.of(s -> Update.none()));
        String[] branches = new String[6];
        for (int i = 0; i < 6; i++) {
            branches[i] = "b" + i;
            b.step(branches[i], busy);
        }
        Workflow wf = b.edge("start", branches).build();

        assertThat(run(wf).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(peak.get()).isEqualTo(2);
    }

    @Test
    void retries_with_backoff_then_succeeds() {
        AtomicInteger calls = new AtomicInteger();
        Step flaky = ctx -> {
            if (calls.incrementAndGet() < 3) {
                throw new RetryableException("provider busy");
            }
            return StepOutcome.completed(COUNT, ctx.attempt());
        };
        RetryPolicy retry = RetryPolicy.builder()
                .maxAttempts(5)
                .initialInterval(Duration.ofMillis(1))
                .maximumInterval(Duration.ofMillis(5))
                .build();
        Workflow wf = Workflow.builder("flaky")
                .keys(COUNT)
                .step("call", flaky, StepOptions.builder().retry(retry).build())
                .build();

        RunResult r = run(wf);

        assertThat(r.state().get(COUNT)).isEqualTo(3);
        assertThat(events.of(RunEvent.StepRetrying.class))
                .extracting(RunEvent.StepRetrying::attempt)
                .containsExactly(1, 2);
        assertThat(events.of(RunEvent.StepRetrying.class).get(0).failure().message())
                .isEqualTo("provider busy");
    }

    @Test
    void gives_up_after_max_attempts_and_fails_the_run_with_the_last_error() {
        AtomicInteger calls = new AtomicInteger();
        Step broken = ctx -> {
            throw new RetryableException("attempt " + calls.incrementAndGet());
        };
        RetryPolicy retry = RetryPolicy.builder()
                .maxAttempts(3)
                .initialInterval(Duration.ofMillis(1))
                .build();
        Workflow wf = Workflow.builder("broken")
                .step("call", broken, StepOptions.builder().retry(retry).build())
                .build();

        RunResult r = run(wf);

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(calls.get()).isEqualTo(3);
        assertThat(r.failure().message()).isEqualTo("attempt 3");
        assertThat(events.of(RunEvent.StepFailed.class))
                .singleElement()
                .extracting(RunEvent.StepFailed::attempt)
                .isEqualTo(3);
    }

    @Test
    void does_not_retry_a_non_retryable_failure() {
        AtomicInteger calls = new AtomicInteger();
        Step invalid = ctx -> {
            calls.incrementAndGet();
            throw new NonRetryableException("bad input");
        };
        Workflow wf = Workflow.builder("invalid")
                .step(
                        "call",
                        invalid,
                        StepOptions.builder()
                                .retry(RetryPolicy.builder().maxAttempts(5).build())
                                .build())
                .build();

        RunResult r = run(wf);

        assertThat(calls.get()).isEqualTo(1);
        assertThat(r.failure().nonRetryable()).isTrue();
    }

    @Test
    void a_step_that_exceeds_its_timeout_is_abandoned_and_retried() {
        AtomicInteger calls = new AtomicInteger();
        Step slowOnce = ctx -> {
            if (calls.incrementAndGet() == 1) {
                new CountDownLatch(1).await(); // Blocks until the engine interrupts it.
            }
            return StepOutcome.completed(COUNT, ctx.attempt());
        };
        StepOptions options = StepOptions.builder()
                .timeout(Duration.ofMillis(100))
                .retry(RetryPolicy.builder()
                        .maxAttempts(2)
                        .initialInterval(Duration.ofMillis(1))
                        .build())
                .build();
        Workflow wf = Workflow.builder("slow")
                .keys(COUNT)
                .step("call", slowOnce, options)
                .build();

        RunResult r = run(wf);

        assertThat(r.state().get(COUNT)).isEqualTo(2);
        assertThat(events.of(RunEvent.StepRetrying.class).get(0).failure().type())
                .isEqualTo("StepTimeoutException");
    }

    @Test
    void cancelling_a_run_interrupts_its_running_step_and_stops_it() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger after = new AtomicInteger();
        Step forever = ctx -> {
            started.countDown();
            new CountDownLatch(1).await();
            return StepOutcome.nothing();
        };
        Workflow wf = Workflow.builder("long")
                .step("wait", forever)
                .step("after", Step.of(s -> {
                    after.incrementAndGet();
                    return Update.none();
                }))
                .chain("wait", "after")
                .build();

        RunHandle handle = engine.start(wf, StartRequest.of(WS, Json.object()));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        handle.cancel("user asked");
        RunResult r = handle.completion().get(5, TimeUnit.SECONDS);

        assertThat(r.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(after.get()).isZero();
        assertThat(events.of(RunEvent.RunCancelled.class))
                .singleElement()
                .extracting(RunEvent.RunCancelled::reason)
                .isEqualTo("user asked");
    }

    @Test
    void a_run_waits_for_a_signal_and_resumes_with_its_payload() {
        StateKey<String> DECISION = StateKey.of("decision", String.class);
        Workflow wf = Workflow.builder("approval")
                .keys(DECISION)
                .step("ask", ctx -> {
                    JsonNode reply = ctx.awaitSignal("approval", null).orElseThrow();
                    return StepOutcome.completed(
                            DECISION, reply.path("decision").asText());
                })
                .build();

        RunHandle handle = engine.start(wf, StartRequest.of(WS, Json.object()));
        RunResult waiting = handle.awaitSettled(WAIT);
        assertThat(waiting.status()).isEqualTo(RunStatus.SUSPENDED);
        assertThat(waiting.waits()).containsKey("ask");

        handle.signal("approval", Json.parse("{\"decision\":\"yes\"}"));
        RunResult done = handle.awaitSettled(WAIT);

        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.state().get(DECISION)).isEqualTo("yes");
        assertThat(events.types()).contains("RunSuspended", "SignalReceived", "RunResumed");
    }

    @Test
    void a_signal_sent_before_the_step_waits_is_not_lost() throws Exception {
        StateKey<String> GOT = StateKey.of("got", String.class);
        CountDownLatch release = new CountDownLatch(1);
        Workflow wf = Workflow.builder("early")
                .keys(GOT)
                .step("slow", ctx -> {
                    release.await();
                    return StepOutcome.nothing();
                })
                .step(
                        "wait",
                        ctx -> StepOutcome.completed(
                                GOT,
                                ctx.awaitSignal("reply", null).orElseThrow().asText()))
                .chain("slow", "wait")
                .build();

        RunHandle handle = engine.start(wf, StartRequest.of(WS, Json.object()));
        handle.signal("reply", Json.toTree("early bird"));
        release.countDown();

        RunResult r = handle.awaitSettled(WAIT);
        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.state().get(GOT)).isEqualTo("early bird");
        assertThat(events.types()).doesNotContain("RunSuspended");
    }

    @Test
    void a_signal_wait_with_a_deadline_times_out_when_the_clock_passes_it() {
        StateKey<Boolean> TIMED_OUT = StateKey.of("timedOut", Boolean.class);
        Workflow wf = Workflow.builder("deadline")
                .keys(TIMED_OUT)
                .step(
                        "ask",
                        ctx -> StepOutcome.completed(
                                TIMED_OUT,
                                ctx.awaitSignal("reply", Duration.ofHours(48)).isEmpty()))
                .build();

        RunHandle handle = engine.start(wf, StartRequest.of(WS, Json.object()));
        assertThat(handle.awaitSettled(WAIT).status()).isEqualTo(RunStatus.SUSPENDED);

        clock.advance(Duration.ofHours(47));
        assertThat(engine.fireDueTimers()).isZero();
        clock.advance(Duration.ofHours(2));
        assertThat(engine.fireDueTimers()).isEqualTo(1);

        RunResult r = handle.completion().join();
        assertThat(r.state().get(TIMED_OUT)).isTrue();
    }

    @Test
    void a_durable_sleep_suspends_until_the_clock_reaches_it() {
        Workflow wf = Workflow.builder("sleepy")
                .keys(TRAIL)
                .step("nap", ctx -> {
                    ctx.sleep(Duration.ofDays(1));
                    return StepOutcome.completed(TRAIL, List.of("woke"));
                })
                .build();

        RunHandle handle = engine.start(wf, StartRequest.of(WS, Json.object()));
        RunResult asleep = handle.awaitSettled(WAIT);
        assertThat(asleep.waits().get("nap")).isInstanceOf(Wait.Timer.class);

        clock.advance(Duration.ofDays(1));
        engine.fireDueTimers();

        assertThat(handle.completion().join().state().get(TRAIL)).containsExactly("woke");
    }

    @Test
    void journaled_calls_are_not_repeated_when_a_step_runs_again_after_a_wait() {
        AtomicInteger effects = new AtomicInteger();
        Workflow wf = Workflow.builder("effect-once")
                .keys(COUNT)
                .step("send", ctx -> {
                    int sent = ctx.memo("sms", Integer.class, effects::incrementAndGet);
                    ctx.awaitSignal("delivered", null);
                    return StepOutcome.completed(COUNT, sent);
                })
                .build();

        RunHandle handle = engine.start(wf, StartRequest.of(WS, Json.object()));
        handle.awaitSettled(WAIT);
        handle.signal("delivered", Json.object());

        assertThat(handle.completion().join().state().get(COUNT)).isEqualTo(1);
        assertThat(effects.get()).isEqualTo(1);
    }

    @Test
    void a_sub_workflow_runs_as_a_child_and_returns_its_state() {
        Workflow child = Workflow.builder("child")
                .keys(COUNT)
                .step("double", Step.of(s -> Update.of(COUNT, s.get(COUNT) * 2)))
                .build();
        Workflow parent = Workflow.builder("parent")
                .keys(COUNT)
                .step("delegate", ctx -> {
                    JsonNode out = ctx.runChild("doubler", child, Json.parse("{\"count\":21}"));
                    return StepOutcome.completed(COUNT, out.path("count").asInt());
                })
                .build();

        RunResult r = run(parent);

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.state().get(COUNT)).isEqualTo(42);
    }

    @Test
    void a_failing_sub_workflow_fails_its_parent_step() {
        Workflow child = Workflow.builder("bad-child")
                .step("boom", ctx -> {
                    throw new NonRetryableException("child broke");
                })
                .build();
        Workflow parent = Workflow.builder("parent2")
                .step("delegate", ctx -> {
                    ctx.runChild("c", child, Json.object());
                    return StepOutcome.nothing();
                })
                .build();

        RunResult r = run(parent);

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.failure().message()).contains("FAILED", "child broke");
    }

    @Test
    void starting_twice_with_the_same_idempotency_key_returns_the_first_run() {
        Workflow wf = Workflow.builder("once").step("a", mark("a")).build();
        StartRequest req = StartRequest.of(WS, Json.object()).withIdempotencyKey("order-17");

        RunHandle first = engine.start(wf, req);
        RunHandle second = engine.start(wf, req);
        first.awaitSettled(WAIT);

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(events.of(RunEvent.RunStarted.class)).hasSize(1);
    }

    @Test
    void a_workflow_with_edges_to_unknown_or_unreachable_nodes_is_rejected_with_every_problem() {
        assertThatThrownBy(() -> Workflow.builder("bad")
                        .step("a", mark("a"))
                        .step("island", mark("i"))
                        .edge("a", "ghost")
                        .build())
                .isInstanceOf(WorkflowException.class)
                .hasMessageContaining("edge from \"a\" to unknown node \"ghost\"");
        assertThatThrownBy(() -> Workflow.builder("bad2")
                        .step("a", mark("a"))
                        .step("island", mark("i"))
                        .build())
                .hasMessageContaining("[island] cannot be reached");
    }

    @Test
    void a_listener_that_throws_does_not_break_the_run() {
        WorkflowEngine fragile = WorkflowEngine.builder()
                .listener(e -> {
                    throw new IllegalStateException("listener bug");
                })
                .build();
        try (fragile) {
            RunResult r = fragile.run(
                    Workflow.builder("x").step("a", mark("a")).build(), StartRequest.of(WS, Json.object()), WAIT);
            assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        }
    }

    @Test
    void state_written_as_objects_reads_back_typed_from_json() {
        State s = State.fromJson(Json.parse("{\"count\":5,\"trail\":[\"x\"]}"));
        assertThat(s.get(COUNT)).isEqualTo(5);
        assertThat(s.get(TRAIL)).containsExactly("x");
        assertThat(s.apply(Update.of(TRAIL, List.of("y"))).get(TRAIL)).containsExactly("x", "y");
        assertThat(s.find(StateKey.of("missing", String.class))).isEqualTo(Optional.empty());
    }
}
