package dev.guildhall.drills;

import dev.guildhall.bus.redis.RedisBusSettings;
import dev.guildhall.bus.redis.RedisStreamsEventBus;
import dev.guildhall.core.RunId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.bus.Subscription;
import dev.guildhall.core.jobs.WorkerOptions;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.StartRequest;
import dev.guildhall.core.workflow.StateKey;
import dev.guildhall.core.workflow.StepContext;
import dev.guildhall.core.workflow.StepOutcome;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.WorkflowRegistry;
import dev.guildhall.store.jdbc.DurableRuntime;
import dev.guildhall.store.jdbc.JdbcDatabase;
import dev.guildhall.store.jdbc.JdbcRunStore;
import dev.guildhall.store.jdbc.JdbcSettings;
import dev.guildhall.store.jdbc.OutboxRelay;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * The processes of the chaos drill ({@code scripts/chaos.sh}), one mode per process:
 *
 * <ul>
 *   <li>{@code worker URL ID}: a durable node that drives {@code chaos} runs until it is killed;
 *   <li>{@code submit URL N}: starts N runs (idempotency keys {@code chaos-0..N-1});
 *   <li>{@code check URL N TIMEOUT_S}: waits for the runs to finish and prints the verdict line
 *       {@code runs=N completed=N duplicate_effects=0 lost=0}, exiting 1 unless all is well.
 * </ul>
 *
 * <p>The workflow has five steps. Each writes one side-effect row keyed by its step's idempotency
 * key, as an outbound channel would (a second execution with the same key only bumps the row's
 * {@code executions} count), then works a little more before its checkpoint, so a kill often lands
 * between an effect and its checkpoint; the middle step first sleeps on a durable timer. A duplicate effect
 * is a second row for the same run and step, which appears only if a step ran again under a
 * different key; a lost run is one that never finished or finished without all its effects.
 *
 * <p>Each worker also relays the outbox to Redis Streams, and a consumer process records every run
 * event it handles with a count, so the check also reports runs whose {@code run.succeeded} event
 * never arrived and events handled twice (the bus drops a republished id); either fails the drill.
 */
public final class Chaos {
    static final List<String> STEPS = List.of("reserve", "notify", "wait", "charge", "confirm");
    static final StateKey<List<String>> DONE = StateKey.list("done", String.class);
    static final WorkspaceId WORKSPACE = WorkspaceId.of("chaos");

    private Chaos() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        if (args.length < 2 || (args.length < 3 && !args[0].equals("consume"))) {
            usage();
        }
        JdbcSettings settings = new JdbcSettings(
                args[1],
                System.getenv().getOrDefault("GUILDHALL_DB_USER", "postgres"),
                System.getenv("GUILDHALL_DB_PASSWORD"));
        try (JdbcDatabase db = JdbcDatabase.open(settings)) {
            createEffectsTable(db.dataSource());
            switch (args[0]) {
                case "worker" -> worker(db, args[2]);
                case "consume" -> consume(db);
                case "submit" -> submit(db, Integer.parseInt(args[2]), out);
                case "check" ->
                    System.exit(check(
                            db,
                            Integer.parseInt(args[2]),
                            Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 120),
                            out));
                default -> usage();
            }
        }
    }

    private static void usage() {
        System.err.println("usage: Chaos worker URL ID | consume URL | submit URL N | check URL N [TIMEOUT_S]");
        System.exit(2);
    }

    static Workflow workflow(DataSource effects, String worker) {
        Workflow.Builder b = Workflow.builder("chaos").keys(DONE);
        for (String step : STEPS) {
            b.step(step, ctx -> {
                if (step.equals("wait")) {
                    ctx.sleep(Duration.ofSeconds(1)); // A durable timer: the step runs again after it.
                }
                effect(effects, ctx, worker);
                Thread.sleep(
                        ThreadLocalRandom.current().nextInt(20, 60)); // Work after the effect, before the checkpoint.
                return StepOutcome.completed(DONE, List.of(step));
            });
        }
        return b.chain(STEPS.toArray(String[]::new)).build();
    }

    /** The step's side effect: one row per idempotency key, as an idempotent outbound channel keeps. */
    private static void effect(DataSource effects, StepContext ctx, String worker) throws SQLException {
        try (Connection c = effects.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO chaos_effects (idempotency_key, run_id, step,"
                        + " worker, executions) VALUES (?, ?, ?, ?, 1) ON CONFLICT (idempotency_key)"
                        + " DO UPDATE SET executions = chaos_effects.executions + 1")) {
            ps.setString(1, ctx.idempotencyKey());
            ps.setString(2, ctx.run().run().value());
            ps.setString(3, ctx.node());
            ps.setString(4, worker);
            ps.executeUpdate();
        }
    }

    static void createEffectsTable(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS chaos_effects (idempotency_key VARCHAR(200) PRIMARY KEY,"
                    + " run_id VARCHAR(64) NOT NULL, step VARCHAR(64) NOT NULL, worker VARCHAR(64) NOT NULL,"
                    + " executions INTEGER NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS chaos_events (event_id VARCHAR(200) PRIMARY KEY,"
                    + " event_type VARCHAR(100) NOT NULL, run_id VARCHAR(64) NOT NULL, handled INTEGER NOT NULL)");
        }
    }

    /** The event bus of the drill: Redis Streams, under the key prefix the script gives each drill. */
    private static RedisStreamsEventBus bus() {
        return RedisStreamsEventBus.connect(RedisBusSettings.fromEnvironment(System.getenv()), Clock.systemUTC());
    }

    /**
     * A consumer on another node: it records every run event it handles, counting how often, so
     * the check can tell whether events were lost or handled twice after a relay was killed.
     */
    private static void consume(JdbcDatabase db) throws InterruptedException {
        DataSource ds = db.dataSource();
        RedisStreamsEventBus bus = bus();
        Subscription sub = bus.subscribe(JdbcRunStore.TOPIC, "chaos-check", "checker", event -> {
            try (Connection c = ds.getConnection();
                    PreparedStatement ps = c.prepareStatement("INSERT INTO chaos_events (event_id, event_type, run_id,"
                            + " handled) VALUES (?, ?, ?, 1) ON CONFLICT (event_id)"
                            + " DO UPDATE SET handled = chaos_events.handled + 1")) {
                ps.setString(1, event.id());
                ps.setString(2, event.type());
                ps.setString(3, event.key());
                ps.executeUpdate();
            }
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sub.close();
            bus.close();
            stopped.countDown();
        }));
        System.err.println(
                "chaos consumer started (pid " + ProcessHandle.current().pid() + ")");
        stopped.await();
    }

    private static void worker(JdbcDatabase db, String id) throws InterruptedException {
        WorkerOptions options = WorkerOptions.defaults(id)
                .withConcurrency(8)
                .withLease(Duration.ofSeconds(3), Duration.ofSeconds(1))
                .withIdlePoll(Duration.ofMillis(50));
        DurableRuntime node = DurableRuntime.open(db, Clock.systemUTC(), options, b -> b.workflows(
                        new WorkflowRegistry().register(workflow(db.dataSource(), id)))
                .listener(event -> {
                    if (event instanceof dev.guildhall.core.workflow.RunEvent.StepRetrying r) {
                        System.err.println("retrying " + r.ref().run() + " " + r.step() + ": " + r.failure());
                    }
                }));
        RedisStreamsEventBus bus = bus();
        OutboxRelay relay = new OutboxRelay(db.dataSource(), bus, Duration.ofMillis(50), 500).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            relay.close();
            bus.close();
            node.close(); // SIGTERM: a graceful stop. SIGKILL skips this, which is the point of the drill.
            stopped.countDown();
        }));
        node.start();
        System.err.println("chaos worker " + id + " started (pid "
                + ProcessHandle.current().pid() + ")");
        stopped.await();
    }

    private static void submit(JdbcDatabase db, int n, PrintStream out) {
        DurableRuntime node = DurableRuntime.open(
                db,
                Clock.systemUTC(),
                WorkerOptions.defaults("submitter"),
                b -> b.workflows(new WorkflowRegistry().register(workflow(db.dataSource(), "submitter"))));
        Workflow wf = node.engine().workflows().get("chaos");
        for (int i = 0; i < n; i++) {
            node.engine().start(wf, StartRequest.of(WORKSPACE, Json.object()).withIdempotencyKey("chaos-" + i));
        }
        node.engine().close();
        out.println("submitted " + n + " runs");
    }

    private static int check(JdbcDatabase db, int n, Duration timeout, PrintStream out) throws Exception {
        DataSource ds = db.dataSource();
        long deadline = System.nanoTime() + timeout.toNanos();
        long completed;
        while ((completed = count(ds, "SELECT COUNT(*) FROM runs WHERE workspace = 'chaos' AND status = 'SUCCEEDED'"))
                        < n
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        long runs = count(ds, "SELECT COUNT(*) FROM runs WHERE workspace = 'chaos'");
        long duplicates = count(
                ds,
                "SELECT COALESCE(SUM(c - 1), 0) FROM (SELECT COUNT(*) AS c FROM chaos_effects"
                        + " GROUP BY run_id, step) AS per_step");
        long missingEffects = count(
                ds,
                "SELECT COUNT(*) FROM runs r WHERE r.workspace = 'chaos' AND r.status ="
                        + " 'SUCCEEDED' AND (SELECT COUNT(*) FROM chaos_effects e WHERE e.run_id = r.id) < "
                        + STEPS.size());
        long reExecuted = count(ds, "SELECT COUNT(*) FROM chaos_effects WHERE executions > 1");
        long absorbed = count(ds, "SELECT COALESCE(SUM(executions - 1), 0) FROM chaos_effects");
        long lost = (n - completed) + missingEffects;
        String missingEvents = "SELECT COUNT(*) FROM runs r WHERE r.workspace = 'chaos' AND NOT EXISTS (SELECT 1"
                + " FROM chaos_events e WHERE e.run_id = r.id AND e.event_type = 'run.succeeded')";
        while (count(ds, missingEvents) > 0
                && System.nanoTime() < deadline + Duration.ofSeconds(10).toNanos()) {
            Thread.sleep(200); // The relay and the consumer trail the runs by a moment.
        }
        long eventsMissing = count(ds, missingEvents);
        long handledTwice = count(ds, "SELECT COUNT(*) FROM chaos_events WHERE handled > 1");
        long events = count(ds, "SELECT COUNT(*) FROM chaos_events");
        out.printf(
                "info: effects_reexecuted=%d repeated_executions_absorbed_by_key=%d events_handled=%d"
                        + " runs_without_succeeded_event=%d events_handled_twice=%d%n",
                reExecuted, absorbed, events, eventsMissing, handledTwice);
        out.printf("runs=%d completed=%d duplicate_effects=%d lost=%d%n", runs, completed, duplicates, lost);
        boolean ok = runs == n && completed == n && duplicates == 0 && lost == 0;
        return ok && eventsMissing == 0 && handledTwice == 0 ? 0 : 1;
    }

    private static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** For tests: the run ids the drill submits. */
    static RunId runOf(String id) {
        return RunId.of(id);
    }
}
