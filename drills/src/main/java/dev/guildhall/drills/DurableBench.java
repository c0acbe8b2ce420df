package dev.guildhall.drills;

import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.jobs.WorkerOptions;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.StartRequest;
import dev.guildhall.core.workflow.StateKey;
import dev.guildhall.core.workflow.Step;
import dev.guildhall.core.workflow.StepOutcome;
import dev.guildhall.core.workflow.Update;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.WorkflowEngine;
import dev.guildhall.core.workflow.WorkflowRegistry;
import dev.guildhall.store.jdbc.DurableRuntime;
import dev.guildhall.store.jdbc.JdbcDatabase;
import dev.guildhall.store.jdbc.JdbcSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.sql.DataSource;

/**
 * The durable-execution benchmark ({@code scripts/bench-durable.sh}): checkpointed steps per
 * second and step latency with 1, 2 and 4 workers, and how late timers fire with many pending.
 *
 * <pre>
 *   DurableBench steps  JDBC_URL WORKERS RUNS STEPS_PER_RUN
 *   DurableBench timers JDBC_URL TIMERS
 * </pre>
 *
 * Each worker is a separate node (engine, queue, worker and connection pool) in this process, as
 * separate processes would be, sharing the database. Runs are queued before the workers start, so
 * the figure is driving throughput: every step is one checkpoint transaction (version check,
 * checkpoint row, outbox row) on the database. Step latency is the time between two consecutive
 * checkpoints of a run, read back from the checkpoint table.
 */
public final class DurableBench {
    static final WorkspaceId WORKSPACE = WorkspaceId.of("bench");
    static final StateKey<Integer> COUNT = StateKey.of("count", Integer.class, (a, b) -> a == null ? b : a + b);
    static final StateKey<Long> DUE = StateKey.of("due", Long.class);

    private DurableBench() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        if (args.length < 3) {
            System.err.println("usage: DurableBench steps URL WORKERS RUNS STEPS | timers URL TIMERS");
            System.exit(2);
        }
        String url = args[1];
        JdbcSettings settings = url.equals("h2")
                ? JdbcSettings.embedded(Files.createTempDirectory("guildhall-bench-h2"))
                : new JdbcSettings(url, "postgres", null);
        try (JdbcDatabase db = JdbcDatabase.open(settings)) {
            String label = url.equals("h2") ? "H2" : "PostgreSQL";
            if (args[0].equals("steps")) {
                steps(db, label, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]), out);
            } else {
                timers(db, label, Integer.parseInt(args[2]), out);
            }
        }
    }

    static Workflow chain(int steps) {
        Workflow.Builder b = Workflow.builder("bench-chain").keys(COUNT);
        String[] ids = new String[steps];
        for (int i = 0; i < steps; i++) {
            ids[i] = "s" + i;
            b.step(ids[i], Step.of(s -> Update.of(COUNT, 1)));
        }
        return b.chain(ids).build();
    }

    private static void steps(JdbcDatabase db, String label, int workers, int runs, int stepsPerRun, PrintStream out)
            throws Exception {
        empty(db.dataSource());
        Workflow wf = chain(stepsPerRun);
        try (DurableRuntime submitter = node(db, "submitter", wf, 1)) {
            for (int i = 0; i < runs; i++) {
                submitter.engine().start(wf, StartRequest.of(WORKSPACE, Json.object()));
            }
        }
        List<DurableRuntime> nodes = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            nodes.add(node(db, "w" + w, wf, 8).start());
        }
        while (count(db.dataSource(), "SELECT COUNT(*) FROM runs WHERE status = 'SUCCEEDED'") < runs) {
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        nodes.forEach(DurableRuntime::close);
        long steps = (long) runs * stepsPerRun;
        List<Long> gaps = checkpointGaps(db.dataSource());
        out.printf(
                Locale.ROOT,
                "durable %s workers=%d runs=%d steps=%d seconds=%.2f steps_per_s=%.0f step_p50_ms=%.2f step_p99_ms=%.2f%n",
                label,
                workers,
                runs,
                steps,
                seconds,
                steps / seconds,
                pct(gaps, 50),
                pct(gaps, 99));
    }

    private static void timers(JdbcDatabase db, String label, int timers, PrintStream out) throws Exception {
        empty(db.dataSource());
        ConcurrentLinkedQueue<Long> lateness = new ConcurrentLinkedQueue<>();
        Workflow wf = Workflow.builder("bench-timer")
                .keys(DUE)
                .step("sleep", ctx -> {
                    long due = ctx.state().get(DUE);
                    ctx.sleepUntil(Instant.ofEpochSecond(0, due));
                    lateness.add(Clock.systemUTC().instant().toEpochMilli() * 1_000_000 - due);
                    return StepOutcome.nothing();
                })
                .build();
        // Every timer is due in a ten-second window that opens after all of them are pending.
        Instant window = Clock.systemUTC().instant().plusSeconds(15 + timers / 500);
        List<DurableRuntime> nodes = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            nodes.add(node(db, "w" + w, wf, 8).start());
        }
        for (int i = 0; i < timers; i++) {
            long due = toNanos(window.plusMillis(i * 10_000L / timers));
            nodes.get(i % 2)
                    .engine()
                    .start(wf, StartRequest.of(WORKSPACE, Json.object().put("due", due)));
        }
        long pendingAtWindow = 0;
        while (Clock.systemUTC().instant().isBefore(window)) {
            pendingAtWindow = count(db.dataSource(), "SELECT COUNT(*) FROM jobs WHERE status = 'R'");
            Thread.sleep(100);
        }
        while (lateness.size() < timers && Clock.systemUTC().instant().isBefore(window.plusSeconds(120))) {
            Thread.sleep(50);
        }
        nodes.forEach(DurableRuntime::close);
        List<Long> late = new ArrayList<>(lateness);
        out.printf(
                Locale.ROOT,
                "timers %s pending=%d fired=%d late_p50_ms=%.1f late_p99_ms=%.1f late_max_ms=%.1f%n",
                label,
                pendingAtWindow,
                late.size(),
                pct(late, 50),
                pct(late, 99),
                pct(late, 100));
    }

    private static DurableRuntime node(JdbcDatabase db, String id, Workflow wf, int concurrency) {
        WorkerOptions options =
                WorkerOptions.defaults(id).withConcurrency(concurrency).withIdlePoll(Duration.ofMillis(50));
        return DurableRuntime.open(
                db,
                Clock.systemUTC(),
                options,
                (WorkflowEngine.Builder b) -> b.workflows(new WorkflowRegistry().register(wf)));
    }

    private static long toNanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    /** Nanoseconds between consecutive checkpoints of each run once it is running. */
    private static List<Long> checkpointGaps(DataSource ds) throws SQLException {
        List<Long> gaps = new ArrayList<>();
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT run_id, updated_epoch_nanos FROM checkpoints"
                        + " WHERE version >= 1 ORDER BY run_id, version")) {
            String run = null;
            long last = 0;
            while (rs.next()) {
                String r = rs.getString(1);
                long at = rs.getLong(2);
                if (r.equals(run)) {
                    gaps.add(at - last);
                }
                run = r;
                last = at;
            }
        }
        return gaps;
    }

    private static double pct(List<Long> nanos, int p) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int i = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, i)) / 1e6;
    }

    private static void empty(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            for (String t : List.of("jobs", "signals", "outbox", "payloads", "checkpoints", "runs")) {
                s.execute("DELETE FROM " + t);
            }
        }
    }

    private static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
