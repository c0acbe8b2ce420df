package dev.guildhall.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.RunId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.bus.BusEvent;
import dev.guildhall.core.bus.EventBus;
import dev.guildhall.core.bus.EventHandler;
import dev.guildhall.core.bus.Subscription;
import dev.guildhall.core.jobs.DeadLetter;
import dev.guildhall.core.jobs.WorkerOptions;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.retry.RetryPolicy;
import dev.guildhall.core.workflow.RunSnapshot;
import dev.guildhall.core.workflow.RunStatus;
import dev.guildhall.core.workflow.StartRequest;
import dev.guildhall.core.workflow.StateKey;
import dev.guildhall.core.workflow.Step;
import dev.guildhall.core.workflow.StepOptions;
import dev.guildhall.core.workflow.StepOutcome;
import dev.guildhall.core.workflow.Update;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.WorkflowEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Durable execution as a user relies on it, on a real database: runs survive a worker that dies,
 * leases expire and are taken over, failures end as dead letters an operator can retry, timers
 * and signals survive restarts, run creation is idempotent and the outbox survives a relay crash.
 * Subclasses say which database.
 */
abstract class DurableExecutionContract {
    static final WorkspaceId WS = WorkspaceId.of("acme");
    static final StateKey<List<String>> TRAIL = StateKey.list("trail", String.class);
    static final StateKey<JsonNode> REPLY = StateKey.json("reply");

    /** Short leases so that a dead worker's runs move on within a second or two. */
    static WorkerOptions fast(String id) {
        return WorkerOptions.defaults(id)
                .withConcurrency(4)
                .withLease(Duration.ofMillis(1200), Duration.ofMillis(200))
                .withIdlePoll(Duration.ofMillis(20))
                .withShutdownGrace(Duration.ofSeconds(2));
    }

    final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    final List<DurableRuntime> nodes = Collections.synchronizedList(new ArrayList<>());

    abstract TestDatabase db();

    @BeforeEach
    void emptyDatabase() {
        db().empty();
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(DurableRuntime::close);
    }

    DurableRuntime node(String id, Workflow... workflows) {
        UnaryOperator<WorkflowEngine.Builder> configure = b -> {
            dev.guildhall.core.workflow.WorkflowRegistry registry = new dev.guildhall.core.workflow.WorkflowRegistry();
            for (Workflow w : workflows) {
                registry.register(w);
            }
            return b.workflows(registry);
        };
        DurableRuntime node = DurableRuntime.open(db().database(), Clock.systemUTC(), fast(id), configure);
        nodes.add(node);
        return node.start();
    }

    int executed(String step) {
        return executions.computeIfAbsent(step, s -> new AtomicInteger()).get();
    }

    Step counted(String name) {
        return Step.of(s -> {
            executions.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            return Update.of(TRAIL, List.of(name));
        });
    }

    RunSnapshot awaitStatus(DurableRuntime node, RunId run, RunStatus status) {
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> node.store().get(run).status() == status);
        return node.store().get(run);
    }

    @Test
    void a_run_resumes_from_its_checkpoint_on_another_node_after_its_worker_dies() throws Exception {
        CountDownLatch inSlowStep = new CountDownLatch(1);
        AtomicBoolean firstNodeAlive = new AtomicBoolean(true);
        Workflow wf = Workflow.builder("onboard")
                .keys(TRAIL)
                .step("fetch", counted("fetch"))
                .step("charge", ctx -> {
                    executions
                            .computeIfAbsent("charge", k -> new AtomicInteger())
                            .incrementAndGet();
                    if (firstNodeAlive.get()) {
                        inSlowStep.countDown();
                        Thread.sleep(60_000); // The worker dies in here.
                    }
                    return StepOutcome.completed(TRAIL, List.of("charged:" + ctx.idempotencyKey()));
                })
                .step("close", counted("close"))
                .chain("fetch", "charge", "close")
                .build();
        DurableRuntime first = node("first", wf);
        RunId run = first.engine().start(wf, StartRequest.of(WS, Json.object())).id();
        assertThat(inSlowStep.await(20, TimeUnit.SECONDS)).isTrue();

        first.worker().halt(); // As SIGKILL would: the lease is neither renewed nor released.
        firstNodeAlive.set(false);
        assertThat(first.store().get(run).status()).isEqualTo(RunStatus.RUNNING);
        DurableRuntime second = node("second", wf);

        RunSnapshot done = awaitStatus(second, run, RunStatus.SUCCEEDED);
        assertThat(done.state().get(TRAIL)).containsExactly("fetch", "charged:" + run.value() + ":charge", "close");
        assertThat(executed("fetch"))
                .as("completed before the crash, not run again")
                .isEqualTo(1);
        assertThat(executed("charge"))
                .as("in flight at the crash, run again on the second node")
                .isEqualTo(2);
        assertThat(executed("close")).isEqualTo(1);
    }

    @Test
    void a_step_longer_than_the_lease_keeps_it_by_heartbeats_and_runs_once() {
        Workflow wf = Workflow.builder("slow")
                .keys(TRAIL)
                .step("crunch", ctx -> {
                    executions
                            .computeIfAbsent("crunch", k -> new AtomicInteger())
                            .incrementAndGet();
                    Thread.sleep(3_000); // Two and a half leases.
                    return StepOutcome.completed(TRAIL, List.of("crunched"));
                })
                .build();
        DurableRuntime a = node("a", wf);
        node("b", wf);
        RunId run = a.engine().start(wf, StartRequest.of(WS, Json.object())).id();

        awaitStatus(a, run, RunStatus.SUCCEEDED);
        assertThat(executed("crunch")).isEqualTo(1);
    }

    @Test
    void a_graceful_shutdown_hands_back_a_long_step_within_its_grace_and_another_node_finishes_it() {
        AtomicBoolean firstNode = new AtomicBoolean(true);
        CountDownLatch started = new CountDownLatch(1);
        Workflow wf = Workflow.builder("long")
                .keys(TRAIL)
                .step("prepare", counted("prepare"))
                .step("crunch", ctx -> {
                    executions
                            .computeIfAbsent("crunch", k -> new AtomicInteger())
                            .incrementAndGet();
                    if (firstNode.get()) {
                        started.countDown();
                        Thread.sleep(60_000);
                    }
                    return StepOutcome.completed(TRAIL, List.of("crunched"));
                })
                .chain("prepare", "crunch")
                .build();
        DurableRuntime leaving = node("leaving", wf);
        RunId run =
                leaving.engine().start(wf, StartRequest.of(WS, Json.object())).id();
        await().atMost(Duration.ofSeconds(10)).until(() -> started.getCount() == 0);

        long t0 = System.nanoTime();
        leaving.close(); // Grace of two seconds, then the step is interrupted and handed back.
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        nodes.remove(leaving);
        firstNode.set(false);

        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(leaving.store().get(run).status()).isEqualTo(RunStatus.RUNNING);
        assertThat(db().count("SELECT COUNT(*) FROM jobs WHERE status = 'R'"))
                .as("due again at once")
                .isEqualTo(1);
        DurableRuntime staying = node("staying", wf);
        RunSnapshot done = awaitStatus(staying, run, RunStatus.SUCCEEDED);
        assertThat(done.state().get(TRAIL)).containsExactly("prepare", "crunched");
        assertThat(executed("prepare")).isEqualTo(1);
    }

    @Test
    void a_call_a_step_made_before_its_worker_died_is_not_made_again() throws Exception {
        CountDownLatch charged = new CountDownLatch(1);
        AtomicBoolean firstNodeAlive = new AtomicBoolean(true);
        AtomicInteger charges = new AtomicInteger();
        Workflow wf = Workflow.builder("pay")
                .keys(TRAIL)
                .step("charge", ctx -> {
                    int receipt = ctx.memo("charge", Integer.class, charges::incrementAndGet);
                    if (firstNodeAlive.get()) {
                        charged.countDown();
                        Thread.sleep(60_000); // The worker dies after the charge, before the checkpoint.
                    }
                    return StepOutcome.completed(TRAIL, List.of("receipt " + receipt));
                })
                .build();
        DurableRuntime first = node("first", wf);
        RunId run = first.engine().start(wf, StartRequest.of(WS, Json.object())).id();
        assertThat(charged.await(20, TimeUnit.SECONDS)).isTrue();
        first.worker().halt();
        firstNodeAlive.set(false);

        DurableRuntime second = node("second", wf);
        RunSnapshot done = awaitStatus(second, run, RunStatus.SUCCEEDED);

        assertThat(charges).as("charged once").hasValue(1);
        assertThat(done.state().get(TRAIL)).containsExactly("receipt 1");
        assertThat(db().count("SELECT COUNT(*) FROM step_calls"))
                .as("cleared when the run ended")
                .isZero();
    }

    @Test
    void a_run_that_keeps_failing_becomes_a_dead_letter_that_an_operator_retries_to_success() {
        AtomicBoolean cardDeclined = new AtomicBoolean(true);
        Workflow wf = Workflow.builder("checkout")
                .keys(TRAIL)
                .step("reserve", counted("reserve"))
                .step(
                        "charge",
                        Step.of(s -> {
                            executions
                                    .computeIfAbsent("charge", k -> new AtomicInteger())
                                    .incrementAndGet();
                            if (cardDeclined.get()) {
                                throw new IllegalStateException("card declined");
                            }
                            return Update.of(TRAIL, List.of("charged"));
                        }),
                        StepOptions.builder()
                                .retry(RetryPolicy.builder()
                                        .maxAttempts(3)
                                        .initialInterval(Duration.ofMillis(10))
                                        .build())
                                .build())
                .chain("reserve", "charge")
                .build();
        DurableRuntime node = node("n1", wf);
        RunId run = node.engine().start(wf, StartRequest.of(WS, Json.object())).id();

        awaitStatus(node, run, RunStatus.FAILED);
        await().atMost(Duration.ofSeconds(10)).until(() -> !node.deadLetters(10).isEmpty());
        DeadLetter dead = node.deadLetters(10).get(0);
        assertThat(dead.run()).isEqualTo(run);
        assertThat(dead.reason()).contains("card declined");
        assertThat(executed("charge")).as("the step's retry policy ran first").isEqualTo(3);

        cardDeclined.set(false);
        assertThat(node.retry(run)).isTrue();

        RunSnapshot done = awaitStatus(node, run, RunStatus.SUCCEEDED);
        assertThat(done.state().get(TRAIL)).containsExactly("reserve", "charged");
        assertThat(executed("reserve")).isEqualTo(1);
        assertThat(node.deadLetters(10)).isEmpty();
        assertThat(node.retry(run)).as("no longer a dead letter").isFalse();
    }

    @Test
    void a_sleeping_run_wakes_on_time_after_every_node_restarted() {
        Workflow wf = Workflow.builder("reminder")
                .keys(TRAIL)
                .step("wait", ctx -> {
                    ctx.sleep(Duration.ofMillis(1500));
                    return StepOutcome.completed(TRAIL, List.of("woke"));
                })
                .build();
        DurableRuntime before = node("before", wf);
        RunId run =
                before.engine().start(wf, StartRequest.of(WS, Json.object())).id();
        RunSnapshot asleep = awaitStatus(before, run, RunStatus.SUSPENDED);
        before.close();
        nodes.remove(before);
        assertThat(db().count("SELECT COUNT(*) FROM jobs WHERE status = 'R'"))
                .as("the timer is a queue entry in the database")
                .isEqualTo(1);

        DurableRuntime after = node("after", wf);
        RunSnapshot done = awaitStatus(after, run, RunStatus.SUCCEEDED);

        assertThat(done.state().get(TRAIL)).containsExactly("woke");
        assertThat(done.updatedAt()).isAfterOrEqualTo(asleep.createdAt().plusMillis(1500));
    }

    @Test
    void the_code_after_a_durable_sleep_runs_once() {
        Workflow wf = Workflow.builder("remind")
                .keys(TRAIL)
                .step("first", counted("first"))
                .step("wait", ctx -> {
                    ctx.sleep(Duration.ofMillis(300));
                    executions
                            .computeIfAbsent("after-sleep", k -> new AtomicInteger())
                            .incrementAndGet();
                    Thread.sleep(20);
                    return StepOutcome.completed(TRAIL, List.of("reminded"));
                })
                .step("last", counted("last"))
                .chain("first", "wait", "last")
                .build();
        DurableRuntime node = node("n1", wf);
        List<RunId> runs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            runs.add(node.engine().start(wf, StartRequest.of(WS, Json.object())).id());
        }

        runs.forEach(run -> awaitStatus(node, run, RunStatus.SUCCEEDED));
        assertThat(executed("after-sleep")).isEqualTo(10);
        assertThat(executed("first")).isEqualTo(10);
    }

    @Test
    void a_signal_sent_before_the_run_waits_for_it_is_not_lost() {
        CountDownLatch signalSent = new CountDownLatch(1);
        Workflow wf = Workflow.builder("approval")
                .keys(TRAIL, REPLY)
                .step("prepare", ctx -> {
                    signalSent.await(10, TimeUnit.SECONDS);
                    return StepOutcome.completed(TRAIL, List.of("prepared"));
                })
                .step("approve", ctx -> {
                    JsonNode reply =
                            ctx.awaitSignal("approval", Duration.ofMinutes(5)).orElseThrow();
                    return StepOutcome.completed(REPLY, reply);
                })
                .chain("prepare", "approve")
                .build();
        DurableRuntime node = node("n1", wf);
        RunId run = node.engine().start(wf, StartRequest.of(WS, Json.object())).id();
        await().atMost(Duration.ofSeconds(10)).until(() -> node.store().get(run).status() == RunStatus.RUNNING);

        node.engine().signal(run, "approval", Json.parse("{\"by\":\"dana\"}"));
        signalSent.countDown();

        RunSnapshot done = awaitStatus(node, run, RunStatus.SUCCEEDED);
        assertThat(done.state().get(REPLY).path("by").asText()).isEqualTo("dana");
        assertThat(db().count("SELECT COUNT(*) FROM signals")).as("consumed").isZero();
    }

    @Test
    void a_signal_taken_by_a_step_that_was_handed_back_is_still_there_for_the_next_node() {
        AtomicBoolean firstNode = new AtomicBoolean(true);
        CountDownLatch received = new CountDownLatch(1);
        Workflow wf = Workflow.builder("approval")
                .keys(REPLY)
                .step("approve", ctx -> {
                    JsonNode reply =
                            ctx.awaitSignal("approval", Duration.ofMinutes(5)).orElseThrow();
                    if (firstNode.get()) {
                        received.countDown();
                        long end = System.nanoTime() + Duration.ofMillis(3500).toNanos();
                        while (System.nanoTime() < end) { // A call that ignores interrupts outlives the grace.
                            try {
                                Thread.sleep(50);
                            } catch (InterruptedException ignored) {
                                // Keep going, as such a call would.
                            }
                        }
                    }
                    return StepOutcome.completed(REPLY, reply);
                })
                .build();
        DurableRuntime leaving = node("leaving", wf);
        RunId run =
                leaving.engine().start(wf, StartRequest.of(WS, Json.object())).id();
        leaving.engine().signal(run, "approval", Json.parse("{\"by\":\"dana\"}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.getCount() == 0);

        leaving.close(); // Hands the superstep back: its results, the signal's use included, are dropped.
        nodes.remove(leaving);
        firstNode.set(false);
        assertThat(db().count("SELECT COUNT(*) FROM signals"))
                .as("not consumed by a dropped superstep")
                .isEqualTo(1);
        DurableRuntime staying = node("staying", wf);

        RunSnapshot done = awaitStatus(staying, run, RunStatus.SUCCEEDED);
        assertThat(done.state().get(REPLY).path("by").asText()).isEqualTo("dana");
        assertThat(db().count("SELECT COUNT(*) FROM signals")).isZero();
    }

    @Test
    void a_signal_wakes_a_run_suspended_on_another_node() {
        Workflow wf = Workflow.builder("approval")
                .keys(REPLY)
                .step(
                        "approve",
                        ctx -> StepOutcome.completed(
                                REPLY, ctx.awaitSignal("approval", null).orElseThrow()))
                .build();
        DurableRuntime driver = node("driver", wf);
        RunId run =
                driver.engine().start(wf, StartRequest.of(WS, Json.object())).id();
        awaitStatus(driver, run, RunStatus.SUSPENDED);
        DurableRuntime api = DurableRuntime.open(db().database(), Clock.systemUTC(), fast("api"), b -> b);

        api.engine().signal(run, "approval", Json.parse("{\"ok\":true}")); // This node runs no worker.

        RunSnapshot done = awaitStatus(driver, run, RunStatus.SUCCEEDED);
        assertThat(done.state().get(REPLY).path("ok").asBoolean()).isTrue();
        api.close();
    }

    @Test
    void a_caller_on_a_node_without_workers_learns_when_a_run_finishes_elsewhere() throws Exception {
        Workflow wf = Workflow.builder("remote")
                .keys(TRAIL)
                .step("only", counted("only"))
                .build();
        DurableRuntime api = DurableRuntime.open(db().database(), Clock.systemUTC(), fast("api"), b -> b);
        RunId run = api.engine().start(wf, StartRequest.of(WS, Json.object())).id();
        java.util.concurrent.CompletableFuture<dev.guildhall.core.workflow.RunResult> done =
                api.engine().completion(run);

        node("worker", wf);

        assertThat(done.get(20, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.SUCCEEDED);
        api.close();
    }

    @Test
    void a_worker_without_the_runs_workflow_leaves_it_to_a_worker_that_has_it() {
        Workflow wf = Workflow.builder("special")
                .keys(TRAIL)
                .step("only", counted("only"))
                .build();
        Workflow other =
                Workflow.builder("other").keys(TRAIL).step("x", counted("x")).build();
        DurableRuntime lacking = node("lacking", other);
        DurableRuntime api = DurableRuntime.open(db().database(), Clock.systemUTC(), fast("api"), b -> b);
        RunId run = api.engine().start(wf, StartRequest.of(WS, Json.object())).id();

        // The lacking worker claims it, finds no workflow, and puts it back for later, untouched.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> db().count("SELECT COUNT(*) FROM jobs WHERE status = 'R' AND claims = 0"
                                + " AND run_at_epoch_nanos > updated_epoch_nanos + 1000000000")
                        == 1);
        assertThat(lacking.store().get(run).status()).isEqualTo(RunStatus.PENDING);
        assertThat(lacking.deadLetters(10)).isEmpty();
        lacking.close(); // So that the node with the workflow is the one to look next.
        nodes.remove(lacking);
        DurableRuntime current = node("current", wf);

        RunSnapshot done = awaitStatus(current, run, RunStatus.SUCCEEDED);
        assertThat(done.state().get(TRAIL)).containsExactly("only");
        api.close();
    }

    @Test
    void starting_twice_with_one_idempotency_key_gives_one_run() {
        Workflow wf = Workflow.builder("once")
                .keys(TRAIL)
                .step("only", counted("only"))
                .build();
        DurableRuntime a = node("a", wf);
        DurableRuntime b = node("b", wf);
        StartRequest request = StartRequest.of(WS, Json.object()).withIdempotencyKey("order-42");

        RunId first = a.engine().start(wf, request).id();
        RunId second = b.engine().start(wf, request).id();

        assertThat(second).isEqualTo(first);
        awaitStatus(a, first, RunStatus.SUCCEEDED);
        assertThat(db().count("SELECT COUNT(*) FROM runs")).isEqualTo(1);
        assertThat(executed("only")).isEqualTo(1);
    }

    @Test
    void two_nodes_share_many_runs_and_each_step_runs_once() {
        Workflow wf = Workflow.builder("share")
                .keys(TRAIL)
                .step("a", counted("a"))
                .step("b", counted("b"))
                .chain("a", "b")
                .build();
        DurableRuntime n1 = node("n1", wf);
        DurableRuntime n2 = node("n2", wf);
        List<RunId> runs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            runs.add((i % 2 == 0 ? n1 : n2)
                    .engine()
                    .start(wf, StartRequest.of(WS, Json.object()))
                    .id());
        }

        await().atMost(Duration.ofSeconds(30))
                .until(() -> db().count("SELECT COUNT(*) FROM runs WHERE status = 'SUCCEEDED'") == 40);
        assertThat(executed("a")).isEqualTo(40);
        assertThat(executed("b")).isEqualTo(40);
        assertThat(db().count("SELECT COUNT(*) FROM jobs")).isZero();
        assertThat(n1.worker().driven() + n2.worker().driven()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void a_large_value_carried_through_many_checkpoints_is_stored_once() {
        String document = "x".repeat(50_000);
        StateKey<String> doc = StateKey.of("document", String.class);
        Workflow wf = Workflow.builder("big")
                .keys(TRAIL, doc)
                .step("load", Step.of(s -> Update.of(doc, document)))
                .step("s1", counted("s1"))
                .step("s2", counted("s2"))
                .step("s3", counted("s3"))
                .chain("load", "s1", "s2", "s3")
                .build();
        DurableRuntime node = node("n1", wf);
        RunId run = node.engine().start(wf, StartRequest.of(WS, Json.object())).id();

        RunSnapshot done = awaitStatus(node, run, RunStatus.SUCCEEDED);

        assertThat(done.state().get(doc)).isEqualTo(document);
        assertThat(db().count("SELECT COUNT(*) FROM checkpoints")).isGreaterThanOrEqualTo(5);
        assertThat(db().count("SELECT COUNT(*) FROM payloads")).isEqualTo(1);
        assertThat(db().count("SELECT MAX(LENGTH(state_inline)) FROM checkpoints"))
                .isLessThan(2_000);
    }

    @Test
    void outbox_events_reach_consumers_once_even_when_the_relay_dies_after_publishing() {
        Workflow wf = Workflow.builder("evented")
                .keys(TRAIL)
                .step("only", counted("only"))
                .build();
        DurableRuntime node = node("n1", wf);
        RunId run = node.engine().start(wf, StartRequest.of(WS, Json.object())).id();
        awaitStatus(node, run, RunStatus.SUCCEEDED);
        long rows = db().count("SELECT COUNT(*) FROM outbox");
        assertThat(rows).as("created, started, checkpointed, succeeded").isGreaterThanOrEqualTo(4);

        RecordingBus bus = new RecordingBus();
        bus.failAfter = 2; // The relay publishes two events, then dies before it can commit.
        OutboxRelay crashing = new OutboxRelay(db().dataSource(), bus, Duration.ofMillis(10), 100);
        org.assertj.core.api.Assertions.assertThatThrownBy(crashing::relayOnce).isInstanceOf(RuntimeException.class);
        assertThat(db().count("SELECT COUNT(*) FROM outbox")).as("nothing lost").isEqualTo(rows);

        bus.failAfter = Integer.MAX_VALUE;
        OutboxRelay next = new OutboxRelay(db().dataSource(), bus, Duration.ofMillis(10), 100);
        assertThat(next.relayOnce()).isEqualTo((int) rows);

        assertThat(db().count("SELECT COUNT(*) FROM outbox")).isZero();
        assertThat(bus.published).hasSize((int) rows + 2);
        Set<String> handled = new HashSet<>();
        List<String> types = new ArrayList<>();
        for (BusEvent e : bus.published) {
            if (handled.add(e.id())) { // Consumers are idempotent by event id.
                types.add(e.type());
            }
        }
        assertThat(types)
                .hasSize((int) rows)
                .startsWith("run.created", "run.started")
                .endsWith("run.succeeded");
    }

    @Test
    void a_node_relays_its_run_events_to_the_bus_where_a_consumer_group_gets_each_once() {
        Workflow wf = Workflow.builder("evented")
                .keys(TRAIL)
                .step("only", counted("only"))
                .build();
        try (dev.guildhall.core.bus.InMemoryEventBus bus = dev.guildhall.core.bus.InMemoryEventBus.create()) {
            List<String> types = Collections.synchronizedList(new ArrayList<>());
            Subscription sub = bus.subscribe(JdbcRunStore.TOPIC, "audit", "c1", e -> types.add(e.type()));
            DurableRuntime node = node("n1", wf).relayTo(bus);
            RunId run =
                    node.engine().start(wf, StartRequest.of(WS, Json.object())).id();

            awaitStatus(node, run, RunStatus.SUCCEEDED);
            await().atMost(Duration.ofSeconds(10)).until(() -> types.contains("run.succeeded"));
            assertThat(types).containsExactly("run.created", "run.started", "run.checkpointed", "run.succeeded");
            sub.close();
        }
    }

    /** A bus that records what is published, and can fail the n-th publish. */
    static final class RecordingBus implements EventBus {
        final List<BusEvent> published = Collections.synchronizedList(new ArrayList<>());
        volatile int failAfter = Integer.MAX_VALUE;

        @Override
        public void publish(BusEvent event) {
            if (published.size() >= failAfter) {
                throw new IllegalStateException("relay process killed");
            }
            published.add(event);
        }

        @Override
        public Subscription subscribe(String topic, String group, String consumer, EventHandler handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
    }
}
