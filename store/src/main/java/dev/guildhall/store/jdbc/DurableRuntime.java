package dev.guildhall.store.jdbc;

import dev.guildhall.core.Checks;
import dev.guildhall.core.RunId;
import dev.guildhall.core.bus.EventBus;
import dev.guildhall.core.jobs.DeadLetter;
import dev.guildhall.core.jobs.RunWorker;
import dev.guildhall.core.jobs.WorkerOptions;
import dev.guildhall.core.workflow.RunSnapshot;
import dev.guildhall.core.workflow.RunStatus;
import dev.guildhall.core.workflow.WorkflowEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * One node of durable execution on a JDBC database: an engine whose runs, signals and deadlines
 * live in the database, the job queue it hands runs to, and a worker that drives them. Start as many
 * nodes as you like, in one process or many, on the same database: they share the work.
 */
public final class DurableRuntime implements AutoCloseable {
    private final JdbcRunStore store;
    private final JdbcJobQueue queue;
    private final JdbcSignalInbox inbox;
    private final WorkflowEngine engine;
    private final RunWorker worker;
    private final JdbcDatabase database;
    private volatile @Nullable OutboxRelay relay;

    private DurableRuntime(
            JdbcDatabase database,
            Clock clock,
            WorkerOptions options,
            UnaryOperator<WorkflowEngine.Builder> configure) {
        this.database = database;
        this.store = new JdbcRunStore(database.dataSource());
        this.queue = new JdbcJobQueue(database.dataSource(), clock);
        this.inbox = new JdbcSignalInbox(database.dataSource(), clock, true);
        WorkflowEngine.Builder builder = configure.apply(WorkflowEngine.builder());
        this.engine =
                builder.store(store).inbox(inbox).queue(queue).clock(clock).build();
        this.worker = new RunWorker(engine, queue, options);
    }

    /**
     * A node on {@code database}; {@code configure} adds workflows, agents, gateway and listener
     * to the engine (the store, inbox, queue and clock are this runtime's). Call {@link #start()}.
     */
    public static DurableRuntime open(
            JdbcDatabase database,
            Clock clock,
            WorkerOptions options,
            UnaryOperator<WorkflowEngine.Builder> configure) {
        Checks.notNull(database, "database");
        Checks.notNull(clock, "clock");
        Checks.notNull(options, "options");
        Checks.notNull(configure, "configure");
        return new DurableRuntime(database, clock, options, configure);
    }

    public DurableRuntime start() {
        worker.start();
        return this;
    }

    /**
     * Also relays this database's outbox to {@code bus} from this node, until it closes. Any number
     * of nodes may relay: on PostgreSQL one at a time holds the outbox.
     */
    public synchronized DurableRuntime relayTo(EventBus bus) {
        if (relay == null) {
            relay = new OutboxRelay(database.dataSource(), bus, Duration.ofMillis(50), 500).start();
        }
        return this;
    }

    public WorkflowEngine engine() {
        return engine;
    }

    public JdbcJobQueue queue() {
        return queue;
    }

    public JdbcRunStore store() {
        return store;
    }

    public RunWorker worker() {
        return worker;
    }

    /** Dead letters, oldest first. */
    public List<DeadLetter> deadLetters(int limit) {
        return queue.deadLetters(limit);
    }

    /**
     * An operator's retry of a dead letter: a failed run goes back to the checkpoint before the
     * failed superstep; a run whose worker kept dying is simply queued again.
     *
     * @return false when the run is not a dead letter
     */
    public boolean retry(RunId run) {
        if (queue.deadLetters(Integer.MAX_VALUE).stream().noneMatch(d -> d.run().equals(run))) {
            return false;
        }
        RunSnapshot snapshot = store.get(run);
        if (snapshot.status() == RunStatus.FAILED) {
            engine.revive(run);
        }
        return queue.retry(run);
    }

    /**
     * An operator's discard of a dead letter: its queue entry goes; a run that had not failed (its
     * worker kept dying) is cancelled, so nothing waits for it in vain.
     *
     * @return false when the run is not a dead letter
     */
    public boolean discard(RunId run) {
        if (!queue.discard(run)) {
            return false;
        }
        if (!store.get(run).status().isTerminal()) {
            engine.cancel(run, "discarded from the dead letters by an operator");
        }
        return true;
    }

    /** Stops as a shutdown should: in-flight runs finish within the grace or are handed back. */
    @Override
    public void close() {
        worker.close();
        engine.close();
        OutboxRelay r = relay;
        if (r != null) {
            r.close();
            try {
                r.relayOnce(); // After the worker stopped: the last checkpoints' events still go out.
            } catch (RuntimeException e) {
                // Left in the outbox for the next relay; nothing is lost.
            }
        }
    }
}
