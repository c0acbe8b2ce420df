package dev.guildhall.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.Checks;
import dev.guildhall.core.RunId;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.agent.AgentDescriptor;
import dev.guildhall.core.agent.AgentLookup;
import dev.guildhall.core.gateway.ModelGateway;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.knowledge.KnowledgeSearch;
import dev.guildhall.core.tool.ToolRegistry;
import dev.guildhall.core.workflow.internal.Attempts;
import dev.guildhall.core.workflow.internal.EngineServices;
import dev.guildhall.core.workflow.internal.EngineStepContext;
import dev.guildhall.core.workflow.internal.FrozenMap;
import dev.guildhall.core.workflow.internal.NoopRunListener;
import dev.guildhall.core.workflow.internal.RunControl;
import dev.guildhall.core.workflow.internal.SignalClaims;
import dev.guildhall.core.workflow.internal.SuspendRequest;
import dev.guildhall.core.workflow.internal.Watchdog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs workflows. A run advances in supersteps: every node in the frontier runs (in parallel when
 * there are several, up to the workflow's concurrency bound), their updates are applied in graph
 * order, the edges pick the next frontier, and the result is checkpointed to the {@link RunStore}.
 * A step that waits suspends the run; a signal or timer resumes it from the last checkpoint.
 *
 * <p>Thread-safe. One engine serves many workflows and runs at once. Close it to stop its threads.
 */
public final class WorkflowEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowEngine.class);
    private static final int LOCK_STRIPES = 64;
    private static final List<String> TO_END = List.of(Workflow.END);
    /** How late a durable run that was stored but never queued (a crash in between) is driven. */
    static final Duration ORPHAN_RESERVATION = Duration.ofSeconds(30);

    private final WorkflowRegistry workflows;
    private final AgentLookup agents;
    private final RunStore store;
    private final SignalInbox inbox;
    private final TimerService timers;
    /** Set for durable execution: runs are driven by whichever worker claims them, not on our executor. */
    private final @Nullable RunQueue queue;

    private final RunListener listener;
    /** False for the no-op listener: then the hot path builds no events (nor their timings) at all. */
    private final boolean listening;

    private final Clock clock;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final Watchdog watchdog;
    /** Agent nodes' options, from descriptors that do not change once the lookup is built. */
    private final Map<dev.guildhall.core.AgentId, StepOptions> agentOptions = new ConcurrentHashMap<>();

    private final EngineServices services;
    private final Map<RunId, RunControl> active = new ConcurrentHashMap<>();
    private final Map<RunId, CompletableFuture<RunResult>> completions = new ConcurrentHashMap<>();
    private final Map<RunId, Set<RunId>> children = new ConcurrentHashMap<>();
    /** Drive tasks submitted but not yet started, per run; a run with one is busy, not settled. */
    private final Map<RunId, Integer> scheduled = new ConcurrentHashMap<>();

    private final Object[] locks = new Object[LOCK_STRIPES];
    private volatile @Nullable Thread completionWatcher;
    private final Object settled = new Object();

    private WorkflowEngine(Builder b) {
        this.workflows = b.workflows;
        this.agents = b.agents;
        this.store = b.store;
        this.inbox = b.inbox;
        this.clock = b.clock;
        this.queue = b.queue;
        this.timers = b.timers != null ? b.timers : new InMemoryTimerService(clock, Duration.ofMillis(50));
        this.listener = safe(b.listener);
        this.listening = !(b.listener instanceof NoopRunListener);
        this.ownsExecutor = b.executor == null;
        this.executor = b.executor != null ? b.executor : Executors.newCachedThreadPool(daemonThreads());
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
        this.watchdog = new Watchdog(Duration.ofMillis(5));
        Attempts attempts = new Attempts(watchdog, b.random);
        this.services = new EngineServices(
                agents,
                b.gateway,
                b.tools,
                b.knowledge,
                clock,
                inbox,
                attempts,
                executor,
                this::startChild,
                b.queue != null ? store::recordCall : EngineServices.CallRecorder.NONE,
                new ConcurrentHashMap<>());
    }

    public static Builder builder() {
        return new Builder();
    }

    public WorkflowRegistry workflows() {
        return workflows;
    }

    public RunStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Starts a run and returns at once. With an idempotency key that the workspace already used,
     * returns the existing run instead of starting another.
     */
    public RunHandle start(Workflow workflow, StartRequest request) {
        workflows.register(workflow);
        return startRun(workflow, request, null, null);
    }

    /**
     * Starts a run and drives it on the calling thread until it finishes or suspends, as a plain
     * method call would; parallel branches still use the executor. {@code timeout} bounds the wait
     * for work on other threads, such as sub-workflows. A run that already existed (same
     * idempotency key) is not driven here; this waits for it instead.
     */
    public RunResult run(Workflow workflow, StartRequest request, Duration timeout) {
        workflows.register(workflow);
        Started started = create(workflow, request, null, null);
        if (queue != null) {
            if (started.created()) {
                queue.schedule(started.id(), clock.instant());
            }
            return awaitDurablySettled(started.id(), timeout);
        }
        if (started.created()) {
            drive(started.id());
        }
        return awaitSettled(started.id(), timeout);
    }

    private record Started(RunId id, boolean created) {}

    private RunHandle startRun(
            Workflow workflow, StartRequest request, @Nullable RunId parent, @Nullable String parentKey) {
        Started started = create(workflow, request, parent, parentKey);
        if (started.created()) {
            submitDrive(started.id());
        }
        return new RunHandle(started.id(), this);
    }

    /** Stores a new run, or finds the one its idempotency key already started. */
    private Started create(
            Workflow workflow, StartRequest request, @Nullable RunId parent, @Nullable String parentKey) {
        Instant now = clock.instant();
        String first = workflow.start();
        RunSnapshot fresh = new RunSnapshot(
                RunId.random(),
                workflow.id(),
                request.workspace(),
                request.user(),
                request.idempotencyKey(),
                parent,
                parentKey,
                RunStatus.PENDING,
                request.input(),
                State.fromJson(request.input()),
                List.of(first),
                Map.of(first, 1),
                Map.of(),
                Map.of(),
                0,
                null,
                now,
                now,
                0);
        if (queue != null) {
            // A reservation, in case this process dies between storing the run and queueing it:
            // the run is then driven a little late instead of never. Brought forward when queued.
            queue.schedule(fresh.id(), now.plus(ORPHAN_RESERVATION));
        }
        RunSnapshot stored = store.create(fresh);
        boolean created = stored.id().equals(fresh.id());
        if (created && parent != null) {
            children.computeIfAbsent(parent, p -> ConcurrentHashMap.newKeySet()).add(stored.id());
        }
        return new Started(stored.id(), created);
    }

    private RunId startChild(
            RunRef parent, @Nullable UserId user, String step, String key, Workflow child, JsonNode input) {
        workflows.register(child);
        // Keyed by parent and key: a parent step that runs again after a crash, before its journal
        // was saved, finds the child it already started instead of starting a second one.
        String idempotencyKey = "child:" + parent.run().value() + ":" + step + ":" + key;
        StartRequest request = new StartRequest(parent.workspace(), input, user, idempotencyKey);
        return startRun(child, request, parent.run(), key).id();
    }

    /**
     * Delivers a signal. The run takes it the next time a step waits for that name; a suspended
     * run waiting for it resumes now.
     *
     * @throws dev.guildhall.core.NotFoundException when the run does not exist
     */
    public void signal(RunId runId, String name, JsonNode payload) {
        Checks.notBlank(name, "signal name");
        RunSnapshot run = store.get(runId);
        inbox.deliver(runId, name, payload);
        emit(new RunEvent.SignalReceived(run.ref(), clock.instant(), name));
        wake(runId);
    }

    /** Asks a run (and its sub-workflows) to stop; in-flight steps are interrupted. A finished run is left as it is. */
    public void cancel(RunId runId, String reason) {
        Set<RunId> kids = new java.util.HashSet<>(children.getOrDefault(runId, Set.of()));
        if (queue != null) {
            kids.addAll(store.children(runId)); // Started on any node; finished ones ignore the cancel.
        }
        RunSnapshot cancelled = null;
        synchronized (lock(runId)) {
            RunControl control = active.get(runId);
            if (control != null) {
                control.cancel(reason);
            } else {
                // Another node may be driving it: its next checkpoint races ours. Try again on a
                // lost race; when ours wins, that driver's next save fails and it lets go.
                for (int attempt = 1; cancelled == null; attempt++) {
                    RunSnapshot run = store.get(runId);
                    if (run.status().isTerminal()) {
                        break;
                    }
                    try {
                        run.waits().keySet().forEach(node -> timers.cancel(runId, node));
                        cancelled = complete(
                                run.moveTo(RunStatus.CANCELLED, clock.instant()),
                                new RunEvent.RunCancelled(run.ref(), clock.instant(), reason));
                    } catch (StaleVersionException e) {
                        if (attempt >= 20) {
                            throw e;
                        }
                    }
                }
            }
        }
        if (cancelled != null) {
            notifyParent(cancelled); // Outside the lock: the parent's lock may be another stripe.
        }
        kids.forEach(child -> cancel(child, "parent cancelled: " + reason));
    }

    /**
     * Continues a run that a crashed process left RUNNING or PENDING, from its last checkpoint;
     * a suspended run resumes only when its wait is over. A no-op for a run this engine is driving.
     */
    public void recover(RunId runId) {
        RunSnapshot run = store.get(runId);
        if (run.status() == RunStatus.RUNNING || run.status() == RunStatus.PENDING) {
            submitDrive(runId);
        } else if (run.status() == RunStatus.SUSPENDED) {
            scheduleDeadlines(run);
            wake(runId);
        }
    }

    public Optional<RunSnapshot> find(RunId runId) {
        return store.find(runId);
    }

    /** Completes when the run reaches a terminal status. */
    public CompletableFuture<RunResult> completion(RunId runId) {
        // Registered before the store is read, and finish() saves before it takes the future
        // out, so either finish() completes this future or the read below sees the terminal run.
        store.get(runId); // An unknown run throws here instead of leaving a future behind.
        CompletableFuture<RunResult> f = completions.computeIfAbsent(runId, id -> new CompletableFuture<>());
        store.find(runId).filter(r -> r.status().isTerminal()).ifPresent(r -> {
            f.complete(RunResult.of(r));
            completions.remove(runId, f);
        });
        if (queue != null && !f.isDone()) {
            watchCompletions(); // The run may finish on another node, where our finish() never runs.
        }
        return f.copy(); // Each caller's own: one caller's timeout or cancel does not end the others'.
    }

    /** Durable mode: completes futures of runs that finished anywhere, by looking at the store. */
    private void watchCompletions() {
        synchronized (completions) {
            if (completionWatcher != null) {
                return;
            }
            Thread t = new Thread(
                    () -> {
                        while (!Thread.currentThread().isInterrupted()) {
                            try {
                                Thread.sleep(50);
                                completions.forEach((id, future) -> {
                                    Optional<RunSnapshot> run = store.find(id);
                                    if (run.isEmpty()) {
                                        completions.remove(id, future); // Deleted (retention): never finishes.
                                    } else if (run.get().status().isTerminal()) {
                                        future.complete(RunResult.of(run.get()));
                                        completions.remove(id, future);
                                    }
                                });
                            } catch (InterruptedException e) {
                                return;
                            } catch (RuntimeException e) {
                                LOG.warn("Watching run completions failed; trying again: {}", e.toString());
                            }
                        }
                    },
                    "guildhall-completions");
            t.setDaemon(true);
            t.start();
            completionWatcher = t;
        }
    }

    /** Waits until the run is terminal or suspended with nothing left to do. */
    public RunResult awaitSettled(RunId runId, Duration timeout) {
        if (queue != null) {
            return awaitDurablySettled(runId, timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (settled) {
            while (true) {
                RunSnapshot run = store.get(runId);
                boolean idle = !busy(runId);
                if (run.status().isTerminal() || (idle && run.status() == RunStatus.SUSPENDED)) {
                    return RunResult.of(run);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(
                            new TimeoutException("run " + runId + " did not settle within " + timeout));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(settled, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for run " + runId, e);
                }
            }
        }
    }

    /** With a queue, the run may be driven on another node: watch the store instead of our threads. */
    private RunResult awaitDurablySettled(RunId runId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            RunSnapshot run = store.get(runId);
            if (run.status().isTerminal() || (run.status() == RunStatus.SUSPENDED && !anyWaitOver(run))) {
                return RunResult.of(run);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        new TimeoutException("run " + runId + " did not settle within " + timeout));
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for run " + runId, e);
            }
        }
    }

    /**
     * Drives a run that a durable worker claimed, on the calling thread, until it finishes,
     * suspends or is handed back; returns the run as stored afterwards. A suspended run whose waits
     * are not over is left as it is: the wake-up was early or already served.
     *
     * @throws UnknownWorkflowException when this engine does not have the run's workflow (another
     *     node's worker does): the run is left untouched
     */
    public RunSnapshot driveClaimed(RunId runId) {
        RunSnapshot run = store.get(runId);
        if (workflows.find(run.workflowId()).isEmpty() && !run.status().isTerminal()) {
            throw new UnknownWorkflowException(run.id(), run.workflowId());
        }
        if (run.status().isTerminal() || (run.status() == RunStatus.SUSPENDED && !anyWaitOver(run))) {
            return run;
        }
        drive(runId);
        return store.get(runId);
    }

    /**
     * Puts a failed run back to the checkpoint before the superstep that failed, RUNNING again, so
     * that a worker retries that superstep: the operator's retry of a dead letter. The steps that
     * superstep ran are run again; completed earlier steps are not.
     *
     * @throws IllegalStateException when the run did not fail or its earlier checkpoints were compacted away
     */
    public RunSnapshot revive(RunId runId) {
        RunSnapshot failed = store.get(runId);
        if (failed.status() != RunStatus.FAILED) {
            throw new IllegalStateException("run " + runId + " is " + failed.status() + ", not FAILED");
        }
        RunSnapshot before = store.history(runId).stream()
                .filter(c -> c.version() < failed.version() && !c.status().isTerminal())
                .reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException(
                        "run " + runId + " has no checkpoint before its failure (compacted?)"));
        RunSnapshot revived = save(failed.restoredTo(before, clock.instant()));
        emit(new RunEvent.RunResumed(revived.ref(), clock.instant()));
        submitDrive(runId);
        return revived;
    }

    /**
     * Stops driving the run here without recording an outcome (its steps are interrupted and their
     * results dropped), so that another worker continues it from the last checkpoint. A no-op when
     * this engine is not driving it.
     */
    public void handBack(RunId runId) {
        RunControl control = active.get(runId);
        if (control != null) {
            control.handBack();
        }
    }

    /** Whether the run, or a sub-workflow it waits for, is being driven or about to be. */
    private boolean busy(RunId runId) {
        if (active.containsKey(runId) || scheduled.containsKey(runId)) {
            return true;
        }
        return children.getOrDefault(runId, Set.of()).stream().anyMatch(this::busy);
    }

    /** Fires due timers now, rather than at the timer service's next tick. */
    public int fireDueTimers() {
        return timers.fireDue();
    }

    private void wake(RunId runId) {
        if (queue != null) {
            // Whoever drives the run checks its waits; a wake while it is being driven makes it run again.
            queue.schedule(runId, clock.instant());
            return;
        }
        synchronized (lock(runId)) {
            if (active.containsKey(runId)) {
                return; // The driver checks the inbox and deadlines before it suspends.
            }
            RunSnapshot run = store.get(runId);
            if (run.status() == RunStatus.SUSPENDED && anyWaitOver(run)) {
                submitDrive(runId);
            }
        }
    }

    private void submitDrive(RunId runId) {
        if (queue != null) {
            queue.schedule(runId, clock.instant());
            return;
        }
        if (executor.isShutdown()) {
            LOG.warn("Run(id={}) left as stored: the engine is shutting down", runId);
            return;
        }
        scheduled.merge(runId, 1, Integer::sum);
        try {
            executor.execute(() -> drive(runId));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            unschedule(runId);
            LOG.warn("Run(id={}) left as stored: the engine is shutting down", runId);
        }
    }

    private void unschedule(RunId runId) {
        scheduled.computeIfPresent(runId, (id, n) -> n == 1 ? null : n - 1);
    }

    private void drive(RunId runId) {
        RunControl control;
        synchronized (lock(runId)) {
            // Become active before leaving the scheduled set, so that the run never looks idle in between.
            if (active.containsKey(runId)) {
                unschedule(runId);
                return;
            }
            control = new RunControl(runId, Thread.currentThread());
            active.put(runId, control);
            unschedule(runId);
        }
        try {
            advance(control);
        } catch (StaleVersionException e) {
            // Another worker saved first: its lease replaced ours. It owns the run now; leave it be.
            LOG.warn("Run(id={}) given up: {}", runId, e.getMessage());
        } catch (dev.guildhall.core.RetryableException e) {
            if (queue == null) {
                LOG.error("Run(id={}) failed inside the engine: {}", runId, e.toString(), e);
                failUnexpectedly(runId, e);
            } else {
                // The store is unreachable: the run stays at its last checkpoint and its lease
                // expires, so a worker tries again later instead of failing a healthy run.
                LOG.warn("Run(id={}) left at its last checkpoint: {}", runId, e.toString());
            }
        } catch (RuntimeException | Error e) {
            if (control.isHandedBack()) {
                // Interrupted on the way out (a connection wait, say): the run stays at its checkpoint.
                LOG.warn("Run(id={}) handed back mid-save: {}", runId, e.toString());
                return;
            }
            LOG.error("Run(id={}) failed inside the engine: {}", runId, e.toString(), e);
            failUnexpectedly(runId, e);
        } finally {
            synchronized (lock(runId)) {
                active.remove(runId, control);
            }
            Thread.interrupted(); // A cancel may have interrupted this pooled thread; do not leak it.
            synchronized (settled) {
                settled.notifyAll();
            }
        }
    }

    private void advance(RunControl control) {
        RunSnapshot run = store.get(control.run());
        if (run.status().isTerminal()) {
            completion(run.id());
            return;
        }
        Workflow wf = workflows.get(run.workflowId());
        if (queue != null) {
            run = withRecordedCalls(run); // Results a crashed worker's steps got before their checkpoint.
        }
        if (run.status() == RunStatus.PENDING) {
            run = save(run.moveTo(RunStatus.RUNNING, clock.instant()));
            if (listening) {
                emit(new RunEvent.RunStarted(run.ref(), clock.instant()));
            }
        } else if (run.status() == RunStatus.SUSPENDED) {
            run = save(run.moveTo(RunStatus.RUNNING, clock.instant()));
            emit(new RunEvent.RunResumed(run.ref(), clock.instant()));
        }
        while (true) {
            if (control.isHandedBack()) {
                return;
            }
            if (control.isCancelled()) {
                cancelNow(run, control.cancelReason());
                return;
            }
            if (run.frontier().isEmpty()) {
                succeed(run);
                return;
            }
            if (run.superstep() >= wf.maxSteps()) {
                fail(
                        run,
                        new Failure(
                                "LoopLimitExceededException",
                                "run took more than " + wf.maxSteps() + " supersteps; raise maxSteps or bound the loop",
                                true,
                                null));
                return;
            }
            List<String> batch = runnable(wf, run);
            if (batch.isEmpty()) {
                if (suspend(run, control)) {
                    return;
                }
                run = store.get(run.id());
                continue;
            }
            run = superstep(control, wf, run, batch);
            if (run.status().isTerminal()) {
                return;
            }
        }
    }

    /**
     * The snapshot with the results its frontier's steps recorded since the checkpoint merged into
     * their journals: only each node's current visit, so a loop's earlier visits do not leak in.
     */
    private RunSnapshot withRecordedCalls(RunSnapshot run) {
        Map<String, Map<String, JsonNode>> recorded = store.recordedCalls(run.id());
        if (recorded.isEmpty()) {
            return run;
        }
        Map<String, Map<String, JsonNode>> journal = new HashMap<>(run.journal());
        for (String node : run.frontier()) {
            int visit = run.visits().getOrDefault(node, 1);
            Map<String, JsonNode> calls = recorded.get(visit > 1 ? node + "#" + visit : node);
            if (calls != null) {
                Map<String, JsonNode> merged = new HashMap<>(calls);
                merged.putAll(journal.getOrDefault(node, Map.of()));
                journal.put(node, Map.copyOf(merged));
            }
        }
        return run.withProgress(
                run.state(), run.frontier(), run.visits(), run.waits(), journal, run.superstep(), run.updatedAt());
    }

    /** Nodes that can run now: those without an open wait (or whose wait is over); joins only when nothing else is pending. */
    private List<String> runnable(Workflow wf, RunSnapshot run) {
        List<String> frontier = run.frontier();
        if (run.waits().isEmpty() && noJoin(wf, frontier)) {
            return frontier; // The common case: every node is ready and none is a join.
        }
        List<String> ready = new ArrayList<>(frontier.size());
        List<String> eager = new ArrayList<>(frontier.size());
        boolean blocked = false;
        for (String node : frontier) {
            Wait wait = run.waits().get(node);
            if (wait == null || waitOver(run.id(), wait)) {
                ready.add(node);
                if (!wf.node(node).options().join()) {
                    eager.add(node);
                }
            } else {
                blocked = true;
            }
        }
        if (!eager.isEmpty()) {
            return eager;
        }
        return blocked ? List.of() : ready;
    }

    private static boolean noJoin(Workflow wf, List<String> nodes) {
        for (String node : nodes) {
            if (wf.node(node).options().join()) {
                return false;
            }
        }
        return true;
    }

    private boolean waitOver(RunId runId, Wait wait) {
        Instant deadline = wait.deadline();
        if (deadline != null && !clock.instant().isBefore(deadline)) {
            return true;
        }
        return wait instanceof Wait.Signal s && !inbox.pending(runId, s.name()).isEmpty();
    }

    private boolean anyWaitOver(RunSnapshot run) {
        return run.waits().values().stream().anyMatch(w -> waitOver(run.id(), w));
    }

    private RunSnapshot superstep(RunControl control, Workflow wf, RunSnapshot run, List<String> batch) {
        List<NodeRun> results = execute(control, wf, run, batch);
        State state = run.state();
        // The snapshot's maps are immutable; each is copied only when this superstep changes it,
        // and visits, which change every superstep, are a FrozenMap that copies one array.
        Map<String, Wait> waits = run.waits();
        Map<String, Map<String, JsonNode>> journal = run.journal();
        List<Map.Entry<String, Integer>> entered = new ArrayList<>(4);
        LinkedHashSet<String> next = new LinkedHashSet<>();
        if (batch.size()
                < run.frontier().size()) { // The batch is a subset of the frontier, so equal sizes leave nothing.
            for (String node : run.frontier()) {
                if (!batch.contains(node)) {
                    next.add(node);
                }
            }
        }
        Failure failure = null;
        boolean cancelled = false;
        List<String> completed = new ArrayList<>(results.size());
        // Signals leave the inbox only once the checkpoint that used them is saved: a superstep
        // that is handed back, fails or loses a version race runs again and needs them again.
        List<Long> consumed = new ArrayList<>(0);
        for (NodeRun r : results) {
            switch (r.kind) {
                case COMPLETED -> {
                    state = state.apply(r.update);
                    if (waits.containsKey(r.node)) {
                        // Timers exist only for open waits, so a node that had none has no timer to cancel.
                        waits = writable(waits, run.waits());
                        waits.remove(r.node);
                        timers.cancel(run.id(), r.node);
                    }
                    if (journal.containsKey(r.node)) {
                        journal = writable(journal, run.journal());
                        journal.remove(r.node);
                    }
                    consumed.addAll(r.consumed);
                    completed.add(r.node);
                }
                case SUSPENDED -> {
                    next.add(r.node);
                    waits = writable(waits, run.waits());
                    waits.put(r.node, r.until);
                    journal = writable(journal, run.journal());
                    journal.put(r.node, Map.copyOf(r.journal));
                }
                case FAILED -> {
                    failure = failure == null ? r.failure : failure;
                    journal = writable(journal, run.journal());
                    journal.put(r.node, Map.copyOf(r.journal));
                }
                case CANCELLED -> cancelled = true;
            }
        }
        if (failure == null && !cancelled) {
            try {
                for (String node : completed) {
                    Optional<Edge> edge = wf.edge(node);
                    List<String> targets = edge.isPresent() ? edge.get().next(state) : TO_END;
                    for (String t : targets) {
                        if (!t.equals(Workflow.END)
                                && next.add(t)) { // next.add() lets each node in once per superstep.
                            int v = run.visits().getOrDefault(t, 0) + 1;
                            entered.add(Map.entry(t, v));
                            int max = wf.node(t).options().maxVisits();
                            if (v > max) {
                                throw new LoopLimitExceededException(
                                        "node \"%s\" was entered %d times, more than its bound of %d"
                                                .formatted(t, v, max));
                            }
                        }
                    }
                }
            } catch (RuntimeException e) {
                failure = Failure.of(e, null);
            }
        }
        Map<String, Integer> visits = entered.isEmpty()
                ? run.visits()
                : FrozenMap.copyOf(run.visits()).withAll(entered);
        RunSnapshot progressed = run.withProgress(
                state, List.copyOf(next), visits, waits, journal, run.superstep() + 1, clock.instant());
        if (control.isHandedBack()) {
            return run; // Drop this superstep's results: whoever continues the run runs it again.
        }
        if (cancelled || control.isCancelled()) {
            cancelNow(progressed, control.cancelReason());
            return store.get(run.id());
        }
        if (failure != null) {
            fail(progressed, failure);
            return store.get(run.id());
        }
        RunSnapshot saved = save(progressed);
        for (long signalId : consumed) {
            inbox.consume(run.id(), signalId);
        }
        return saved;
    }

    /** {@code current} if this superstep already copied {@code original}, else a mutable copy of it. */
    private static <K, V> Map<K, V> writable(Map<K, V> current, Map<K, V> original) {
        return current == original ? new HashMap<>(original) : current;
    }

    private List<NodeRun> execute(RunControl control, Workflow wf, RunSnapshot run, List<String> batch) {
        if (batch.size() == 1) {
            return List.of(executeNode(control, wf, run, batch.get(0), new SignalClaims()));
        }
        ParallelSuperstep parallel = new ParallelSuperstep(control, wf, run, batch);
        try {
            parallel.spawnHelper();
            parallel.claimNodes();
            // A cancel interrupts the driver. When a step of its own took that interrupt, the
            // flag is gone, so check the run too rather than wait for the helpers' steps.
            if (control.isCancelled() || !parallel.awaitHelpers()) {
                parallel.stop();
                return List.of(NodeRun.cancelled(batch.get(0)));
            }
        } finally {
            parallel.helpers.forEach(control::untrack);
        }
        if (parallel.error != null) {
            throw new IllegalStateException("engine error in parallel superstep", parallel.error);
        }
        return Arrays.asList(parallel.results);
    }

    /**
     * The nodes of one parallel superstep, claimed one at a time by the driver and by helper tasks
     * on the executor, so that at most {@code maxConcurrency} run at once. The driver does not
     * wait for helpers to start: it claims nodes itself, and a helper that starts while nodes are
     * still unclaimed first starts up to two more. Short steps therefore finish on the driver
     * after a single hand-off, and long ones spread over {@code maxConcurrency} threads within a
     * few thread starts, as when every node was submitted up front.
     */
    private final class ParallelSuperstep implements Runnable {
        private final RunControl control;
        private final Workflow wf;
        private final RunSnapshot run;
        private final List<String> batch;
        private final NodeRun[] results;
        private final CountDownLatch done;
        private final AtomicInteger nextNode = new AtomicInteger();
        private final SignalClaims claims = new SignalClaims();
        private final AtomicInteger helperSlots;
        private final Queue<Future<?>> helpers = new ConcurrentLinkedQueue<>();
        private volatile @Nullable Throwable error;

        ParallelSuperstep(RunControl control, Workflow wf, RunSnapshot run, List<String> batch) {
            this.control = control;
            this.wf = wf;
            this.run = run;
            this.batch = batch;
            this.results = new NodeRun[batch.size()];
            this.done = new CountDownLatch(batch.size());
            this.helperSlots = new AtomicInteger(Math.min(batch.size(), wf.maxConcurrency()) - 1);
        }

        /** A helper task: widen the pool while work is left, then claim nodes. */
        @Override
        public void run() {
            if (nextNode.get() < batch.size()) {
                spawnHelper();
                spawnHelper();
            }
            claimNodes();
        }

        void spawnHelper() {
            if (helperSlots.getAndDecrement() <= 0) {
                return;
            }
            try {
                Future<?> f = executor.submit(this);
                control.track(f);
                helpers.add(f);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The engine is shutting down; the threads already claiming finish the superstep.
            }
        }

        void claimNodes() {
            for (int i = nextNode.getAndIncrement(); i < batch.size(); i = nextNode.getAndIncrement()) {
                try {
                    results[i] = executeNode(control, wf, run, batch.get(i), claims);
                } catch (Throwable t) { // executeNode maps every Exception; an Error fails the run as before.
                    error = t;
                } finally {
                    done.countDown();
                }
            }
        }

        /** Waits until every node has run; false when the driver was interrupted (the run was cancelled). */
        boolean awaitHelpers() {
            try {
                done.await();
                return true;
            } catch (InterruptedException e) {
                return false;
            }
        }

        /** Hands out no more nodes and interrupts the helpers' running steps. */
        void stop() {
            nextNode.set(batch.size());
            helpers.forEach(f -> f.cancel(true));
        }
    }

    private NodeRun executeNode(RunControl control, Workflow wf, RunSnapshot run, String nodeId, SignalClaims claims) {
        Node node = wf.node(nodeId);
        StepOptions options = effectiveOptions(node);
        int visit = run.visits().getOrDefault(nodeId, 1);
        String step = visit > 1 ? nodeId + "#" + visit : nodeId;
        Map<String, JsonNode> recorded = run.journal().get(nodeId);
        Map<String, JsonNode> journal =
                recorded == null ? new ConcurrentHashMap<>() : new ConcurrentHashMap<>(recorded);
        RunRef ref = run.ref();
        LastAttempt last = new LastAttempt();
        Attempts.Observer observer = !listening
                ? Attempts.Observer.NONE
                : new Attempts.Observer() {
                    @Override
                    public void retrying(int attempt, Failure failure, Duration delay) {
                        emit(new RunEvent.StepRetrying(ref, clock.instant(), step, attempt, failure, delay));
                    }

                    @Override
                    public void failed(int attempt, Failure failure) {
                        emit(new RunEvent.StepFailed(ref, clock.instant(), step, attempt, failure));
                    }
                };
        try {
            StepOutcome outcome = services.attempts()
                    .run(
                            () -> "step " + step,
                            options.retry(),
                            options.timeout(),
                            control,
                            attempt -> {
                                if (listening) {
                                    emit(new RunEvent.StepStarted(ref, clock.instant(), step, attempt));
                                }
                                EngineStepContext ctx = new EngineStepContext(
                                        services,
                                        control,
                                        ref,
                                        run.user(),
                                        nodeId,
                                        visit,
                                        attempt,
                                        run.state(),
                                        journal,
                                        claims);
                                last.context = ctx;
                                long t0 = listening ? System.nanoTime() : 0;
                                StepOutcome out = node.step().execute(ctx);
                                if (listening && out instanceof StepOutcome.Completed c) {
                                    emit(new RunEvent.StepSucceeded(
                                            ref,
                                            clock.instant(),
                                            step,
                                            attempt,
                                            Duration.ofNanos(System.nanoTime() - t0),
                                            c.update().keyNames()));
                                }
                                return out;
                            },
                            observer);
            if (outcome instanceof StepOutcome.Completed c) {
                return NodeRun.completed(nodeId, c.update(), last.context.consumedSignals());
            }
            return NodeRun.suspended(nodeId, ((StepOutcome.Suspended) outcome).until(), journal);
        } catch (SuspendRequest s) {
            return NodeRun.suspended(nodeId, s.waitFor(), journal);
        } catch (Attempts.Cancelled c) {
            return NodeRun.cancelled(nodeId);
        } catch (Exception e) {
            return NodeRun.failed(nodeId, Failure.of(e, step), journal);
        }
    }

    /** The context of a node's latest attempt, whose consumed signals the superstep takes. */
    private static final class LastAttempt {
        volatile EngineStepContext context;
    }

    /** Agent nodes with default options take their agent's timeout and retry policy. */
    private StepOptions effectiveOptions(Node node) {
        if (node.agent() == null || node.options() != StepOptions.DEFAULTS) {
            return node.options();
        }
        return agentOptions.computeIfAbsent(node.agent(), id -> {
            AgentDescriptor d = agents.get(id).descriptor();
            return StepOptions.builder().timeout(d.timeout()).retry(d.retry()).build();
        });
    }

    /**
     * Suspends the run unless a wait is already over or a cancel arrived; returns whether it
     * suspended. The driver gives up the run inside the same lock that {@link #wake} and {@link
     * #cancel} take, so a signal, timer or cancel that comes next finds the run idle and acts on it.
     */
    private boolean suspend(RunSnapshot run, RunControl control) {
        synchronized (lock(run.id())) {
            if (control.isCancelled() || anyWaitOver(run)) {
                return false;
            }
            RunSnapshot suspended = save(run.moveTo(RunStatus.SUSPENDED, clock.instant()));
            scheduleDeadlines(suspended);
            emit(new RunEvent.RunSuspended(suspended.ref(), clock.instant(), suspended.waits()));
            active.remove(run.id(), control);
            return true;
        }
    }

    private void scheduleDeadlines(RunSnapshot run) {
        run.waits().forEach((node, wait) -> {
            if (wait.deadline() != null && queue != null) {
                queue.schedule(run.id(), wait.deadline());
            } else if (wait.deadline() != null) {
                timers.schedule(run.id(), node, wait.deadline(), () -> wake(run.id()));
            }
        });
    }

    private void succeed(RunSnapshot run) {
        Duration took = Duration.between(run.createdAt(), clock.instant());
        finish(
                run.moveTo(RunStatus.SUCCEEDED, clock.instant()),
                new RunEvent.RunSucceeded(run.ref(), clock.instant(), took));
    }

    private void fail(RunSnapshot run, Failure failure) {
        RunSnapshot failed = run.withFailure(failure).moveTo(RunStatus.FAILED, clock.instant());
        finish(failed, new RunEvent.RunFailed(run.ref(), clock.instant(), failure));
    }

    private void cancelNow(RunSnapshot run, String reason) {
        finish(
                run.moveTo(RunStatus.CANCELLED, clock.instant()),
                new RunEvent.RunCancelled(run.ref(), clock.instant(), reason));
    }

    private void failUnexpectedly(RunId runId, Throwable e) {
        try {
            RunSnapshot run = store.get(runId);
            if (!run.status().isTerminal()) {
                fail(run, Failure.of(e, null));
            }
        } catch (RuntimeException again) {
            LOG.error("Run(id={}) could not be marked failed: {}", runId, again.toString());
        }
    }

    private void finish(RunSnapshot terminal, RunEvent event) {
        notifyParent(complete(terminal, event));
    }

    /** Saves a terminal snapshot, tells the listener and whoever waits for the run. */
    private RunSnapshot complete(RunSnapshot terminal, RunEvent event) {
        RunSnapshot saved = save(terminal);
        emit(event);
        CompletableFuture<RunResult> waiting = completions.remove(saved.id());
        if (waiting != null) {
            waiting.complete(RunResult.of(saved));
        }
        children.remove(saved.id());
        return saved;
    }

    /** A finished sub-workflow signals its parent, whose waiting step then runs again. */
    private void notifyParent(RunSnapshot saved) {
        if (saved.parent() != null) {
            ObjectNode outcome = Json.object();
            outcome.put("status", saved.status().name());
            outcome.put("run", saved.id().value());
            outcome.set("state", saved.state().toJson());
            outcome.set("failure", Json.toTree(saved.failure()));
            signal(saved.parent(), EngineStepContext.childSignal(saved.parentKey()), outcome);
        }
    }

    private RunSnapshot save(RunSnapshot next) {
        return store.save(next.nextVersion());
    }

    private void emit(RunEvent event) {
        listener.onEvent(event);
    }

    private Object lock(RunId runId) {
        return locks[Math.floorMod(runId.hashCode(), LOCK_STRIPES)];
    }

    private static RunListener safe(RunListener listener) {
        return event -> {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("Run(id={}) listener failed on {}: {}", event.ref().run(), event.type(), e.toString());
            }
        };
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "guildhall-engine-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        timers.close();
        Thread watcher = completionWatcher;
        if (watcher != null) {
            watcher.interrupt();
        }
        if (queue != null) {
            active.values().forEach(RunControl::handBack); // Durable runs continue on another worker.
        } else {
            active.values().forEach(c -> c.cancel("engine shutting down"));
        }
        watchdog.close();
        if (ownsExecutor) {
            executor.shutdownNow();
        }
    }

    private enum Kind {
        COMPLETED,
        SUSPENDED,
        FAILED,
        CANCELLED
    }

    private record NodeRun(
            String node,
            Kind kind,
            Update update,
            Wait until,
            Failure failure,
            Map<String, JsonNode> journal,
            Set<Long> consumed) {
        static NodeRun completed(String node, Update update, Set<Long> consumed) {
            return new NodeRun(
                    node,
                    Kind.COMPLETED,
                    update,
                    null,
                    null,
                    Map.of(),
                    consumed.isEmpty() ? Set.of() : Set.copyOf(consumed));
        }

        static NodeRun suspended(String node, Wait wait, Map<String, JsonNode> journal) {
            return new NodeRun(node, Kind.SUSPENDED, null, wait, null, journal, Set.of());
        }

        static NodeRun failed(String node, Failure failure, Map<String, JsonNode> journal) {
            return new NodeRun(node, Kind.FAILED, null, null, failure, journal, Set.of());
        }

        static NodeRun cancelled(String node) {
            return new NodeRun(node, Kind.CANCELLED, null, null, null, Map.of(), Set.of());
        }
    }

    /** Configures an engine. Everything has an in-memory default. */
    public static final class Builder {
        private WorkflowRegistry workflows = new WorkflowRegistry();
        private AgentLookup agents = id -> Optional.empty();
        private ModelGateway gateway = ModelGateway.disabled();
        private ToolRegistry tools = ToolRegistry.empty();
        private Function<WorkspaceId, KnowledgeSearch> knowledge = ws -> KnowledgeSearch.none();
        private RunStore store = new InMemoryRunStore();
        private SignalInbox inbox = new InMemorySignalInbox();
        private TimerService timers;
        private RunQueue queue;
        private RunListener listener = RunListener.noop();
        private Clock clock = Clock.systemUTC();
        private ExecutorService executor;
        private Random random = new Random();

        private Builder() {}

        public Builder workflows(WorkflowRegistry registry) {
            this.workflows = Checks.notNull(registry, "workflows");
            return this;
        }

        public Builder agents(AgentLookup lookup) {
            this.agents = Checks.notNull(lookup, "agents");
            return this;
        }

        public Builder gateway(ModelGateway modelGateway) {
            this.gateway = Checks.notNull(modelGateway, "gateway");
            return this;
        }

        public Builder tools(ToolRegistry registry) {
            this.tools = Checks.notNull(registry, "tools");
            return this;
        }

        /** Gives each run the knowledge of its own workspace only. */
        public Builder knowledge(Function<WorkspaceId, KnowledgeSearch> perWorkspace) {
            this.knowledge = Checks.notNull(perWorkspace, "knowledge");
            return this;
        }

        public Builder store(RunStore runStore) {
            this.store = Checks.notNull(runStore, "store");
            return this;
        }

        public Builder inbox(SignalInbox signalInbox) {
            this.inbox = Checks.notNull(signalInbox, "inbox");
            return this;
        }

        public Builder timers(TimerService timerService) {
            this.timers = Checks.notNull(timerService, "timers");
            return this;
        }

        /**
         * Durable execution: runs are handed to this queue and driven by the workers that claim
         * them ({@link #driveClaimed}), on this node or another, instead of on the engine's executor.
         * Deadlines become queue entries too, so they survive a restart.
         */
        public Builder queue(RunQueue runQueue) {
            this.queue = Checks.notNull(runQueue, "queue");
            return this;
        }

        public Builder listener(RunListener runListener) {
            this.listener = Checks.notNull(runListener, "listener");
            return this;
        }

        public Builder clock(Clock engineClock) {
            this.clock = Checks.notNull(engineClock, "clock");
            return this;
        }

        /** An executor for steps and drivers; it must not bound its threads (steps block on I/O). Not shut down by the engine. */
        public Builder executor(ExecutorService executorService) {
            this.executor = Checks.notNull(executorService, "executor");
            return this;
        }

        /** The source of backoff jitter; seed it in tests for repeatable delays. */
        public Builder random(Random jitter) {
            this.random = Checks.notNull(jitter, "random");
            return this;
        }

        public WorkflowEngine build() {
            return new WorkflowEngine(this);
        }
    }
}
