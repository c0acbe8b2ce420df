package dev.guildhall.store.jdbc;

import dev.guildhall.core.Checks;
import dev.guildhall.core.RunId;
import dev.guildhall.core.jobs.DeadLetter;
import dev.guildhall.core.jobs.JobQueue;
import dev.guildhall.core.jobs.Lease;
import dev.guildhall.core.jobs.QueueStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The job queue in the {@code jobs} table, shared by every worker of every process pointed at the
 * same database. Workers claim due entries with {@code SELECT ... FOR UPDATE SKIP LOCKED} (PostgreSQL,
 * and H2 since 2.2.220), so concurrent claims never block on or take each other's rows. Leases are
 * times in the table; a worker that died stops renewing them, and any worker's
 * {@link #reclaimExpired} returns them to the queue.
 */
public final class JdbcJobQueue implements JobQueue {
    private static final String READY = "R";
    private static final String LEASED = "L";
    private static final String DEAD = "D";

    private static final String WAKE =
            """
            UPDATE jobs SET
                run_at_epoch_nanos = CASE WHEN status = 'R' AND run_at_epoch_nanos > ? THEN ? ELSE run_at_epoch_nanos END,
                wake_seq = CASE WHEN status = 'L' THEN wake_seq + 1 ELSE wake_seq END,
                woken_at_epoch_nanos = CASE WHEN status = 'L' THEN LEAST(COALESCE(woken_at_epoch_nanos, ?), ?)
                                            ELSE woken_at_epoch_nanos END,
                updated_epoch_nanos = ?
            WHERE run_id = ?""";
    private static final String INSERT = "INSERT INTO jobs (run_id, status, run_at_epoch_nanos, wake_seq, claims,"
            + " updated_epoch_nanos) VALUES (?, 'R', ?, 0, 0, ?) ON CONFLICT DO NOTHING";
    private static final String DUE = "SELECT run_id, wake_seq, claims FROM jobs WHERE status = 'R'"
            + " AND run_at_epoch_nanos <= ? ORDER BY run_at_epoch_nanos LIMIT ? FOR UPDATE SKIP LOCKED";
    private static final String LEASE = "UPDATE jobs SET status = 'L', lease_owner = ?, lease_until_epoch_nanos = ?,"
            + " claims = claims + 1, woken_at_epoch_nanos = NULL, updated_epoch_nanos = ? WHERE run_id = ?";
    private static final String HELD = " WHERE run_id = ? AND status = 'L' AND lease_owner = ?";

    private final DataSource dataSource;
    private final Clock clock;

    public JdbcJobQueue(DataSource dataSource, Clock clock) {
        this.dataSource = Checks.notNull(dataSource, "dataSource");
        this.clock = Checks.notNull(clock, "clock");
    }

    @Override
    public void schedule(RunId run, Instant at) {
        Checks.notNull(run, "run");
        Checks.notNull(at, "at");
        Sql.autoCommit(dataSource, "schedule run " + run, c -> {
            scheduleIn(c, run, at, clock.instant());
            return null;
        });
    }

    /** Schedules inside the caller's transaction: how a signal's delivery and its wake-up commit together. */
    static void scheduleIn(Connection c, RunId run, Instant at, Instant now) throws SQLException {
        long atNanos = Sql.nanos(at);
        long nowNanos = Sql.nanos(now);
        for (int tries = 0; tries < 3; tries++) {
            try (PreparedStatement ps = c.prepareStatement(WAKE)) {
                ps.setLong(1, atNanos);
                ps.setLong(2, atNanos);
                ps.setLong(3, atNanos);
                ps.setLong(4, atNanos);
                ps.setLong(5, nowNanos);
                ps.setString(6, run.value());
                if (ps.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                ps.setString(1, run.value());
                ps.setLong(2, atNanos);
                ps.setLong(3, nowNanos);
                if (ps.executeUpdate() > 0) {
                    return;
                }
            }
            // Another process inserted the entry between our update and insert: update it instead.
        }
        throw new IllegalStateException("could not schedule run " + run + ": its queue entry kept changing");
    }

    @Override
    public List<Lease> claim(String worker, int max, Duration lease) {
        Checks.notBlank(worker, "worker");
        Checks.positive(max, "max");
        Instant now = clock.instant();
        long until = Sql.nanos(now.plus(lease));
        return Sql.transaction(dataSource, "claim runs", c -> {
            List<Lease> leases = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(DUE)) {
                ps.setLong(1, Sql.nanos(now));
                ps.setInt(2, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        leases.add(new Lease(RunId.of(rs.getString(1)), worker, rs.getLong(2), rs.getInt(3) + 1));
                    }
                }
            }
            if (leases.isEmpty()) {
                return leases;
            }
            try (PreparedStatement ps = c.prepareStatement(LEASE)) {
                for (Lease l : leases) {
                    ps.setString(1, worker);
                    ps.setLong(2, until);
                    ps.setLong(3, Sql.nanos(now));
                    ps.setString(4, l.run().value());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return leases;
        });
    }

    @Override
    public int heartbeat(String worker, java.util.Collection<RunId> runs, Duration lease) {
        if (runs.isEmpty()) {
            return 0;
        }
        long until = Sql.nanos(clock.instant().plus(lease));
        return Sql.autoCommit(dataSource, "renew leases of " + worker, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET lease_until_epoch_nanos = ?"
                    + " WHERE run_id = ? AND status = 'L' AND lease_owner = ?")) {
                for (RunId run : runs) {
                    ps.setLong(1, until);
                    ps.setString(2, run.value());
                    ps.setString(3, worker);
                    ps.addBatch();
                }
                int held = 0;
                for (int n : ps.executeBatch()) {
                    held += n > 0 ? 1 : 0;
                }
                return held;
            }
        });
    }

    @Override
    public void complete(Lease lease, @Nullable Instant nextWake) {
        Checks.notNull(lease, "lease");
        if (nextWake == null && deleteIfUnwoken(lease)) {
            return; // The common case, one statement: the run finished and nothing woke it meanwhile.
        }
        Instant now = clock.instant();
        Sql.transaction(dataSource, "complete run " + lease.run(), c -> {
            long wakeSeq;
            Long wokenAt;
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT wake_seq, woken_at_epoch_nanos FROM jobs" + HELD + " FOR UPDATE")) {
                ps.setString(1, lease.run().value());
                ps.setString(2, lease.worker());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null; // The lease was lost; whoever holds the entry now decides.
                    }
                    wakeSeq = rs.getLong(1);
                    long w = rs.getLong(2);
                    wokenAt = rs.wasNull() ? null : w;
                }
            }
            Long next = nextWake == null ? null : Sql.nanos(nextWake);
            if (wakeSeq != lease.wakeSeq() && wokenAt != null) {
                next = next == null ? wokenAt : Math.min(next, wokenAt);
            }
            if (next == null) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM jobs" + HELD)) {
                    ps.setString(1, lease.run().value());
                    ps.setString(2, lease.worker());
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = 'R', run_at_epoch_nanos = ?,"
                        + " lease_owner = NULL, lease_until_epoch_nanos = NULL, woken_at_epoch_nanos = NULL, claims = 0,"
                        + " updated_epoch_nanos = ?" + HELD)) {
                    ps.setLong(1, next);
                    ps.setLong(2, Sql.nanos(now));
                    ps.setString(3, lease.run().value());
                    ps.setString(4, lease.worker());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    private boolean deleteIfUnwoken(Lease lease) {
        return Sql.autoCommit(dataSource, "complete run " + lease.run(), c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM jobs" + HELD + " AND wake_seq = ?")) {
                ps.setString(1, lease.run().value());
                ps.setString(2, lease.worker());
                ps.setLong(3, lease.wakeSeq());
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void release(Lease lease) {
        Checks.notNull(lease, "lease");
        Instant now = clock.instant();
        Sql.autoCommit(dataSource, "release run " + lease.run(), c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = 'R', run_at_epoch_nanos = ?,"
                    + " lease_owner = NULL, lease_until_epoch_nanos = NULL, woken_at_epoch_nanos = NULL,"
                    + " claims = GREATEST(claims - 1, 0), updated_epoch_nanos = ?" + HELD)) {
                ps.setLong(1, Sql.nanos(now));
                ps.setLong(2, Sql.nanos(now));
                ps.setString(3, lease.run().value());
                ps.setString(4, lease.worker());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void deadLetter(Lease lease, String reason) {
        Checks.notNull(lease, "lease");
        Instant now = clock.instant();
        Sql.autoCommit(dataSource, "dead-letter run " + lease.run(), c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE jobs SET status = 'D', reason = ?, lease_owner = NULL,"
                            + " lease_until_epoch_nanos = NULL, updated_epoch_nanos = ?" + HELD)) {
                ps.setString(1, reason);
                ps.setLong(2, Sql.nanos(now));
                ps.setString(3, lease.run().value());
                ps.setString(4, lease.worker());
                return ps.executeUpdate();
            }
        });
    }

    /** Returns expired leases to the queue, or parks runs claimed {@code maxClaims} times. */
    @Override
    public int reclaimExpired(int maxClaims) {
        Instant now = clock.instant();
        long nowNanos = Sql.nanos(now);
        return Sql.transaction(dataSource, "reclaim expired leases", c -> {
            int moved = 0;
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE jobs SET status = 'D', reason = ?, lease_owner = NULL,"
                            + " lease_until_epoch_nanos = NULL, updated_epoch_nanos = ?"
                            + " WHERE status = 'L' AND lease_until_epoch_nanos < ? AND claims >= ?")) {
                ps.setString(1, "lease expired " + maxClaims + " times: its worker died or hung while driving it");
                ps.setLong(2, nowNanos);
                ps.setLong(3, nowNanos);
                ps.setInt(4, maxClaims);
                moved += ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = 'R', run_at_epoch_nanos = ?,"
                    + " lease_owner = NULL, lease_until_epoch_nanos = NULL, updated_epoch_nanos = ?"
                    + " WHERE status = 'L' AND lease_until_epoch_nanos < ?")) {
                ps.setLong(1, nowNanos);
                ps.setLong(2, nowNanos);
                ps.setLong(3, nowNanos);
                moved += ps.executeUpdate();
            }
            return moved;
        });
    }

    @Override
    public List<DeadLetter> deadLetters(int limit) {
        return Sql.autoCommit(dataSource, "list dead letters", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT run_id, reason, claims, updated_epoch_nanos FROM jobs"
                            + " WHERE status = 'D' ORDER BY updated_epoch_nanos, run_id LIMIT ?")) {
                ps.setInt(1, limit);
                List<DeadLetter> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DeadLetter(
                                RunId.of(rs.getString(1)), rs.getString(2), rs.getInt(3), Sql.instant(rs.getLong(4))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public boolean retry(RunId run) {
        long now = Sql.nanos(clock.instant());
        return Sql.autoCommit(dataSource, "retry run " + run, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = 'R', run_at_epoch_nanos = ?,"
                    + " claims = 0, reason = NULL, updated_epoch_nanos = ? WHERE run_id = ? AND status = 'D'")) {
                ps.setLong(1, now);
                ps.setLong(2, now);
                ps.setString(3, run.value());
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean discard(RunId run) {
        return Sql.autoCommit(dataSource, "discard run " + run, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM jobs WHERE run_id = ? AND status = 'D'")) {
                ps.setString(1, run.value());
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public QueueStats stats() {
        Instant now = clock.instant();
        long nowNanos = Sql.nanos(now);
        return Sql.autoCommit(dataSource, "queue stats", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT"
                    + " SUM(CASE WHEN status = 'R' AND run_at_epoch_nanos <= ? THEN 1 ELSE 0 END),"
                    + " SUM(CASE WHEN status = 'R' AND run_at_epoch_nanos > ? THEN 1 ELSE 0 END),"
                    + " SUM(CASE WHEN status = 'L' THEN 1 ELSE 0 END),"
                    + " SUM(CASE WHEN status = 'D' THEN 1 ELSE 0 END),"
                    + " MIN(CASE WHEN status = 'R' AND run_at_epoch_nanos <= ? THEN run_at_epoch_nanos END)"
                    + " FROM jobs")) {
                ps.setLong(1, nowNanos);
                ps.setLong(2, nowNanos);
                ps.setLong(3, nowNanos);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long oldest = rs.getLong(5);
                    Duration lag = rs.wasNull() ? Duration.ZERO : Duration.ofNanos(Math.max(0, nowNanos - oldest));
                    return new QueueStats(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), lag);
                }
            }
        });
    }

    @Override
    public String toString() {
        return "JdbcJobQueue[" + READY + LEASED + DEAD + "]";
    }
}
