package dev.guildhall.core.jobs;

import dev.guildhall.core.Checks;
import dev.guildhall.core.RunId;
import dev.guildhall.core.workflow.RunSnapshot;
import dev.guildhall.core.workflow.RunStatus;
import dev.guildhall.core.workflow.UnknownWorkflowException;
import dev.guildhall.core.workflow.Wait;
import dev.guildhall.core.workflow.WorkflowEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes runs from a {@link JobQueue} and drives them with an engine: up to {@code concurrency} at
 * once, each under a lease that a heartbeat renews. Any number of workers, in one process or many,
 * share a queue with no coordinator: the queue's leases decide who drives what, and a run whose
 * worker died is reclaimed when its lease expires. After driving, a finished run's entry goes, a
 * suspended run's stays due at its earliest deadline, and a failed run becomes a dead letter.
 */
public final class RunWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunWorker.class);

    private final WorkflowEngine engine;
    private final JobQueue queue;
    private final WorkerOptions options;
    private final ExecutorService drivers;
    private final Semaphore slots;
    private final Map<RunId, Lease> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong driven = new AtomicLong();
    private final java.util.Set<String> unknownWorkflows = ConcurrentHashMap.newKeySet();
    private final java.time.Clock clock;
    /** How long a run of a workflow this worker lacks waits before any worker looks at it again. */
    static final Duration UNKNOWN_WORKFLOW_BACKOFF = Duration.ofSeconds(5);

    private final Object wakeUp = new Object();
    private volatile boolean running;
    private volatile boolean halted;
    private @Nullable Thread claimer;
    private @Nullable Thread keeper;

    public RunWorker(WorkflowEngine engine, JobQueue queue, WorkerOptions options) {
        this.engine = Checks.notNull(engine, "engine");
        this.queue = Checks.notNull(queue, "queue");
        this.options = Checks.notNull(options, "options");
        this.slots = new Semaphore(options.concurrency());
        this.clock = engine.clock();
        AtomicInteger n = new AtomicInteger();
        this.drivers = Executors.newFixedThreadPool(options.concurrency(), r -> {
            Thread t = new Thread(r, "guildhall-worker-" + options.id() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public WorkerOptions options() {
        return options;
    }

    /** Starts claiming. Returns at once. */
    public synchronized RunWorker start() {
        if (running) {
            return this;
        }
        running = true;
        claimer = daemon("guildhall-claimer-" + options.id(), this::claimLoop);
        keeper = daemon("guildhall-keeper-" + options.id(), this::keepLoop);
        return this;
    }

    /** Runs driven to a stop (finished, suspended, failed or handed back) since start. */
    public long driven() {
        return driven.get();
    }

    /** Runs being driven now. */
    public int inFlight() {
        return inFlight.size();
    }

    /** Lets the claimer look again now, rather than after its idle poll (a run was scheduled here). */
    public void nudge() {
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    private void claimLoop() {
        while (running) {
            try {
                slots.acquire();
                int free = 1 + slots.drainPermits();
                List<Lease> leases;
                try {
                    leases = running ? queue.claim(options.id(), free, options.lease()) : List.of();
                } catch (RuntimeException e) {
                    slots.release(free);
                    LOG.warn("Worker(id={}) could not claim runs: {}", options.id(), e.toString());
                    idle();
                    continue;
                }
                slots.release(free - leases.size());
                for (Lease lease : leases) {
                    if (inFlight.replace(lease.run(), lease) != null) {
                        // Still driving it here (our lease had lapsed and came back to us): keep
                        // the new lease for that driver to settle, and start no second one.
                        slots.release();
                        continue;
                    }
                    inFlight.put(lease.run(), lease);
                    drivers.execute(() -> drive(lease));
                }
                if (leases.isEmpty()) {
                    idle();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void idle() throws InterruptedException {
        synchronized (wakeUp) {
            if (running) {
                wakeUp.wait(Math.max(1, options.idlePoll().toMillis()));
            }
        }
    }

    private void drive(Lease lease) {
        try {
            RunSnapshot run = engine.driveClaimed(lease.run());
            if (!halted) {
                settle(inFlight.getOrDefault(lease.run(), lease), run);
            }
        } catch (dev.guildhall.core.NotFoundException e) {
            // A reservation whose run was never stored (its creator died first, or found an
            // existing run by idempotency key): nothing to drive.
            queue.complete(lease, null);
        } catch (UnknownWorkflowException e) {
            // Another node serves this workflow: leave the run to it, and look again in a while
            // in case none does (a deploy in progress), rather than spin on it.
            if (unknownWorkflows.add(e.workflowId())) {
                LOG.warn(
                        "Worker(id={}) does not have workflow '{}'; leaving its runs to other workers",
                        options.id(),
                        e.workflowId());
            }
            queue.complete(lease, clock.instant().plus(UNKNOWN_WORKFLOW_BACKOFF));
        } catch (RuntimeException | Error e) {
            // The store or queue failed under us: leave the entry leased, so it is reclaimed
            // once the lease expires (the heartbeat renews only runs in flight), rather than spin
            // on a run that cannot be saved.
            LOG.error("Worker(id={}) could not drive Run(id={}): {}", options.id(), lease.run(), e.toString(), e);
        } finally {
            inFlight.remove(lease.run());
            driven.incrementAndGet();
            slots.release();
        }
    }

    private void settle(Lease lease, RunSnapshot run) {
        RunStatus status = run.status();
        if (status == RunStatus.FAILED) {
            queue.deadLetter(lease, Objects.toString(run.failure(), "failed"));
        } else if (status.isTerminal()) {
            queue.complete(lease, null);
        } else if (status == RunStatus.SUSPENDED) {
            queue.complete(lease, earliestDeadline(run));
        } else {
            queue.release(lease); // Handed back mid-run (shutdown): another worker continues it.
        }
    }

    private static @Nullable Instant earliestDeadline(RunSnapshot run) {
        return run.waits().values().stream()
                .map(Wait::deadline)
                .filter(Objects::nonNull)
                .min(Instant::compareTo)
                .orElse(null);
    }

    private void keepLoop() {
        long every = options.heartbeat().toMillis();
        while (running) {
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (!inFlight.isEmpty()) {
                    queue.heartbeat(options.id(), java.util.Set.copyOf(inFlight.keySet()), options.lease());
                }
                int reclaimed = queue.reclaimExpired(options.maxClaims());
                if (reclaimed > 0) {
                    LOG.info("Worker(id={}) returned {} expired lease(s) to the queue", options.id(), reclaimed);
                    nudge();
                }
            } catch (RuntimeException e) {
                LOG.warn("Worker(id={}) heartbeat failed: {}", options.id(), e.toString());
            }
        }
    }

    /**
     * Stops claiming, lets in-flight runs finish for up to the shutdown grace, then hands the rest
     * back: their steps are interrupted, their runs stay at the last checkpoint and their entries
     * are due again at once for another worker. Returns within about twice the grace.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (!running) {
                drivers.shutdownNow();
                return;
            }
            running = false;
        }
        nudge();
        interruptAndJoin(claimer);
        drivers.shutdown();
        try {
            if (!drivers.awaitTermination(options.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                inFlight.keySet().forEach(engine::handBack);
                if (!drivers.awaitTermination(options.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("Worker(id={}) left {} run(s) to expire their leases", options.id(), inFlight.size());
                    drivers.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drivers.shutdownNow();
        }
        interruptAndJoin(keeper);
    }

    /**
     * Stops at once, as if the process had died: no lease is renewed, released or completed, and
     * in-flight steps are interrupted with their results dropped, so the database is left as a
     * SIGKILL would leave it. For crash drills and tests; {@link #close} is the graceful stop.
     */
    public void halt() {
        synchronized (this) {
            halted = true;
            running = false;
        }
        if (claimer != null) {
            claimer.interrupt();
        }
        if (keeper != null) {
            keeper.interrupt();
        }
        inFlight.keySet().forEach(engine::handBack);
        drivers.shutdownNow();
    }

    private static void interruptAndJoin(@Nullable Thread t) {
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            t.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
