package dev.guildhall.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.RunId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.time.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Regressions from the first review of the engine: cancels, signals and waits at awkward moments. */
class EngineRaceTest {
    static final WorkspaceId WS = WorkspaceId.of("acme");
    static final Duration WAIT = Duration.ofSeconds(10);
    static final StateKey<List<String>> GOT = StateKey.list("got", String.class);

    @Test
    void cancelling_a_suspended_parent_cancels_the_child_it_waits_for() {
        try (WorkflowEngine engine = WorkflowEngine.builder().build()) {
            Workflow child = Workflow.builder("slow-child")
                    .step("wait", ctx -> {
                        ctx.awaitSignal("go", null);
                        return StepOutcome.nothing();
                    })
                    .build();
            Workflow parent = Workflow.builder("parent")
                    .step("delegate", ctx -> {
                        ctx.runChild("c", child, Json.object());
                        return StepOutcome.nothing();
                    })
                    .build();

            RunHandle p = engine.start(parent, StartRequest.of(WS, Json.object()));
            assertThat(p.awaitSettled(WAIT).status()).isEqualTo(RunStatus.SUSPENDED);
            p.cancel("user gave up");

            assertThat(p.snapshot().status()).isEqualTo(RunStatus.CANCELLED);
            RunId childId = RunId.of(
                    p.snapshot().journal().get("delegate").get("memo:child:c").asText());
            assertThat(engine.find(childId).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
        }
    }

    @Test
    void a_cancel_arriving_just_before_the_run_suspends_is_not_lost() {
        AtomicReference<WorkflowEngine> engineRef = new AtomicReference<>();
        AtomicInteger lookups = new AtomicInteger();
        InMemorySignalInbox real = new InMemorySignalInbox();
        // Cancels from inside the driver's last look at the inbox, after its loop-top cancel check.
        SignalInbox cancelling = new SignalInbox() {
            @Override
            public Signal deliver(RunId run, String name, JsonNode payload) {
                return real.deliver(run, name, payload);
            }

            @Override
            public List<Signal> pending(RunId run, String name) {
                if (lookups.incrementAndGet() == 2) {
                    Thread t = new Thread(() -> engineRef.get().cancel(run, "user pressed stop"));
                    t.start();
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return real.pending(run, name);
            }

            @Override
            public void consume(RunId run, long signalId) {
                real.consume(run, signalId);
            }
        };
        try (WorkflowEngine engine = WorkflowEngine.builder().inbox(cancelling).build()) {
            engineRef.set(engine);
            Workflow wf = Workflow.builder("waits")
                    .step("w", ctx -> {
                        ctx.awaitSignal("go", null);
                        return StepOutcome.nothing();
                    })
                    .build();

            RunResult r = engine.start(wf, StartRequest.of(WS, Json.object())).awaitSettled(WAIT);

            assertThat(r.status()).isEqualTo(RunStatus.CANCELLED);
        }
    }

    @Test
    void two_steps_waiting_for_one_signal_name_each_get_their_own_signal() {
        InMemorySignalInbox inbox = new InMemorySignalInbox();
        try (WorkflowEngine engine = WorkflowEngine.builder().inbox(inbox).build()) {
            Step waiter = ctx -> StepOutcome.completed(
                    GOT,
                    List.of(ctx.node() + "="
                            + ctx.awaitSignal("approve", null)
                                    .orElseThrow()
                                    .path("by")
                                    .asText()));
            Workflow wf = Workflow.builder("two-approvers")
                    .keys(GOT)
                    .step("split", Step.of(s -> Update.none()))
                    .step("a", waiter)
                    .step("b", waiter)
                    .edge("split", "a", "b")
                    .build();

            RunHandle h = engine.start(wf, StartRequest.of(WS, Json.object()));
            assertThat(h.awaitSettled(WAIT).status()).isEqualTo(RunStatus.SUSPENDED);
            inbox.deliver(h.id(), "approve", Json.parse("{\"by\":\"alice\"}"));
            h.signal("approve", Json.parse("{\"by\":\"bob\"}"));

            RunResult r = h.awaitSettled(WAIT);
            // Both run at once, so which takes the older signal is a race; each gets its own.
            List<String> got = r.state().get(GOT);
            assertThat(got).hasSize(2);
            assertThat(got.stream().map(g -> g.substring(2)).sorted()).containsExactly("alice", "bob");
            assertThat(inbox.pending(h.id(), "approve")).isEmpty();
        }
    }

    @Test
    void two_sleeps_in_one_step_each_sleep_their_full_time() {
        MutableClock clock = MutableClock.start();
        try (WorkflowEngine engine = WorkflowEngine.builder().clock(clock).build()) {
            Workflow wf = Workflow.builder("remind-twice")
                    .keys(GOT)
                    .step("s", ctx -> {
                        ctx.sleep(Duration.ofHours(1));
                        ctx.sleep(Duration.ofHours(1));
                        return StepOutcome.completed(GOT, List.of("done"));
                    })
                    .build();
            RunHandle h = engine.start(wf, StartRequest.of(WS, Json.object()));
            assertThat(h.awaitSettled(WAIT).status()).isEqualTo(RunStatus.SUSPENDED);

            clock.advance(Duration.ofHours(1).plusSeconds(1));
            engine.fireDueTimers();
            assertThat(h.awaitSettled(WAIT).status())
                    .as("still in the second hour")
                    .isEqualTo(RunStatus.SUSPENDED);

            clock.advance(Duration.ofHours(1));
            engine.fireDueTimers();
            assertThat(h.awaitSettled(WAIT).status()).isEqualTo(RunStatus.SUCCEEDED);
        }
    }

    @Test
    void a_run_signalled_right_after_it_starts_never_looks_settled_while_it_is_being_resumed() {
        try (WorkflowEngine engine = WorkflowEngine.builder().build()) {
            Workflow wf = Workflow.builder("approve")
                    .keys(GOT)
                    .step(
                            "approval",
                            ctx -> StepOutcome.completed(
                                    GOT,
                                    List.of(ctx.awaitSignal("approved", Duration.ofDays(1))
                                            .orElseThrow()
                                            .path("by")
                                            .asText())))
                    .build();
            for (int i = 0; i < 300; i++) {
                RunHandle h = engine.start(wf, StartRequest.of(WS, Json.object()));
                h.signal("approved", Json.parse("{\"by\":\"ops\"}"));

                RunResult r = h.awaitSettled(WAIT);

                assertThat(r.status()).as("attempt %d", i).isEqualTo(RunStatus.SUCCEEDED);
            }
        }
    }
}
