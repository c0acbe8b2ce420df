package dev.guildhall.store.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.Checks;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the run tables from growing without bound. Per workspace (a default {@link RetentionPolicy}
 * and overrides), a finished run is <em>compacted</em> some time after its last change: every
 * checkpoint but the last is deleted, with the payloads only they referred to, so the final state
 * stays readable ({@link JdbcRunStore#find}) and its history is one entry. Later the run is
 * <em>deleted</em>: the run, its checkpoint, payloads and leftover signals.
 *
 * <p>Only runs that are finished ({@code SUCCEEDED}, {@code FAILED}, {@code CANCELLED}) and have no
 * {@code jobs} row are touched: a dead letter keeps its whole history for an operator's retry until
 * it is retried or discarded. The outbox is left to the relay. Work goes in batches of
 * {@code batchSize} candidate runs, each run in its own short transaction, so no statement holds
 * locks on a large part of a table for long; a pass may run while workers are busy. Thread-safe;
 * two passes at once (two nodes) each skip what the other already did.
 */
public final class JdbcRetention {
    /** Candidate runs read per query. */
    public static final int DEFAULT_BATCH_SIZE = 100;

    private static final String TERMINAL = Arrays.stream(RunStatus.values())
            .filter(RunStatus::isTerminal)
            .map(s -> "'" + s.name() + "'")
            .collect(Collectors.joining(", ", "(", ")"));
    private static final String ELIGIBLE =
            "r.status IN " + TERMINAL + " AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.run_id = r.id)";

    private final DataSource dataSource;
    private final Clock clock;
    private final RetentionPolicy defaultPolicy;
    private final Map<WorkspaceId, RetentionPolicy> overrides;
    private final int batchSize;

    private JdbcRetention(Builder b) {
        this.dataSource = b.dataSource;
        this.clock = b.clock;
        this.defaultPolicy = b.defaultPolicy;
        this.overrides = Map.copyOf(b.overrides);
        this.batchSize = b.batchSize;
    }

    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** The policy that applies to {@code workspace}: its override, or the default. */
    public RetentionPolicy policyFor(WorkspaceId workspace) {
        return overrides.getOrDefault(Checks.notNull(workspace, "workspace"), defaultPolicy);
    }

    public RetentionPolicy defaultPolicy() {
        return defaultPolicy;
    }

    public Map<WorkspaceId, RetentionPolicy> overrides() {
        return overrides;
    }

    /** One pass: deletes the runs past their deletion age, then compacts those past their compaction age. */
    public RetentionReport run() {
        Instant now = clock.instant();
        return delete(now).plus(compact(now));
    }

    /** Deletes the finished runs past their workspace's deletion age, as of {@code now}. */
    public RetentionReport delete(Instant now) {
        return forEachScope(RetentionPolicy::deleteAfter, now, "", this::deleteRun);
    }

    /** Compacts the finished runs past their workspace's compaction age, as of {@code now}. */
    public RetentionReport compact(Instant now) {
        return forEachScope(RetentionPolicy::compactAfter, now, " AND r.compacted = FALSE", this::compactRun);
    }

    /** What to do to one run in its own transaction; {@link RetentionReport#NOTHING} when it no longer qualifies. */
    @FunctionalInterface
    private interface PerRun {
        RetentionReport apply(Connection c, String runId) throws SQLException;
    }

    /**
     * Runs {@code work} over the candidates of each scope: each overridden workspace with its own
     * limit, then every other workspace with the default limit.
     */
    private RetentionReport forEachScope(
            Function<RetentionPolicy, @Nullable Duration> limit, Instant now, String extra, PerRun work) {
        RetentionReport report = RetentionReport.NOTHING;
        for (Map.Entry<WorkspaceId, RetentionPolicy> o : new LinkedHashMap<>(overrides).entrySet()) {
            Duration age = limit.apply(o.getValue());
            if (age != null) {
                report = report.plus(
                        sweep(" AND r.workspace = ?", List.of(o.getKey().value()), now.minus(age), extra, work));
            }
        }
        Duration age = limit.apply(defaultPolicy);
        if (age != null) {
            List<String> others =
                    overrides.keySet().stream().map(WorkspaceId::value).toList();
            String scope = others.isEmpty()
                    ? ""
                    : others.stream().map(w -> "?").collect(Collectors.joining(", ", " AND r.workspace NOT IN (", ")"));
            report = report.plus(sweep(scope, others, now.minus(age), extra, work));
        }
        return report;
    }

    private RetentionReport sweep(String scope, List<String> scopeArgs, Instant before, String extra, PerRun work) {
        String sql = "SELECT r.id FROM runs r WHERE " + ELIGIBLE + " AND r.updated_epoch_nanos < ?" + scope + extra
                + " ORDER BY r.updated_epoch_nanos, r.id LIMIT ?";
        RetentionReport report = RetentionReport.NOTHING;
        while (true) {
            List<String> ids = Sql.autoCommit(dataSource, "find runs for retention", c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int i = 1;
                    ps.setLong(i++, Sql.nanos(before));
                    for (String arg : scopeArgs) {
                        ps.setString(i++, arg);
                    }
                    ps.setInt(i, batchSize);
                    List<String> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(rs.getString(1));
                        }
                    }
                    return out;
                }
            });
            int changed = 0;
            for (String id : ids) {
                RetentionReport one = Sql.transaction(dataSource, "retention of run " + id, c -> work.apply(c, id));
                if (!one.equals(RetentionReport.NOTHING)) {
                    changed++;
                }
                report = report.plus(one);
            }
            // A short batch was the last; a batch where nothing qualified any more (another node got
            // there first) would come back the same, so it ends the sweep too.
            if (ids.size() < batchSize || changed == 0) {
                return report;
            }
        }
    }

    /** Locks the run when it still qualifies; returns its version, or -1 when it no longer does. */
    private static long lockEligible(Connection c, String runId, String extra) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT r.version FROM runs r WHERE r.id = ? AND " + ELIGIBLE + extra + " FOR UPDATE")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    private RetentionReport compactRun(Connection c, String runId) throws SQLException {
        long version = lockEligible(c, runId, " AND r.compacted = FALSE");
        if (version < 0) {
            return RetentionReport.NOTHING;
        }
        long[] old = countAndBytes(
                c,
                "SELECT COUNT(*), COALESCE(SUM(" + JdbcRunCatalog.CHECKPOINT_BYTES + "), 0) FROM checkpoints c"
                        + " WHERE c.run_id = ? AND c.version < ?",
                runId,
                version);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM checkpoints WHERE run_id = ? AND version < ?")) {
            ps.setString(1, runId);
            ps.setLong(2, version);
            ps.executeUpdate();
        }
        Set<String> kept = new HashSet<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT state_refs FROM checkpoints WHERE run_id = ? AND version = ?")) {
            ps.setString(1, runId);
            ps.setLong(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JsonNode refs = Json.parse(rs.getString(1));
                    refs.fields().forEachRemaining(e -> kept.add(e.getValue().asText()));
                }
            }
        }
        List<String> unreferenced = new ArrayList<>();
        long payloadBytes = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT hash, size_bytes FROM payloads WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!kept.contains(rs.getString(1))) {
                        unreferenced.add(rs.getString(1));
                        payloadBytes += rs.getLong(2);
                    }
                }
            }
        }
        if (!unreferenced.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM payloads WHERE run_id = ? AND hash = ?")) {
                for (String hash : unreferenced) {
                    ps.setString(1, runId);
                    ps.setString(2, hash);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE runs SET compacted = TRUE WHERE id = ? AND version = ?")) {
            ps.setString(1, runId);
            ps.setLong(2, version);
            ps.executeUpdate();
        }
        return new RetentionReport(1, 0, old[0], unreferenced.size(), 0, old[1] + payloadBytes);
    }

    private RetentionReport deleteRun(Connection c, String runId) throws SQLException {
        long version = lockEligible(c, runId, "");
        if (version < 0) {
            return RetentionReport.NOTHING;
        }
        long[] checkpoints = countAndBytes(
                c,
                "SELECT COUNT(*), COALESCE(SUM(" + JdbcRunCatalog.CHECKPOINT_BYTES + "), 0) FROM checkpoints c"
                        + " WHERE c.run_id = ?",
                runId,
                null);
        long[] payloads = countAndBytes(
                c, "SELECT COUNT(*), COALESCE(SUM(size_bytes), 0) FROM payloads WHERE run_id = ?", runId, null);
        long signals = deleteAll(c, "DELETE FROM signals WHERE run_id = ?", runId);
        deleteAll(c, "DELETE FROM payloads WHERE run_id = ?", runId);
        deleteAll(c, "DELETE FROM checkpoints WHERE run_id = ?", runId);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM runs WHERE id = ? AND version = ?")) {
            ps.setString(1, runId);
            ps.setLong(2, version);
            ps.executeUpdate();
        }
        return new RetentionReport(0, 1, checkpoints[0], payloads[0], signals, checkpoints[1] + payloads[1]);
    }

    private static long[] countAndBytes(Connection c, String sql, String runId, @Nullable Long version)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, runId);
            if (version != null) {
                ps.setLong(2, version);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    private static int deleteAll(Connection c, String sql, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, runId);
            return ps.executeUpdate();
        }
    }

    @Override
    public String toString() {
        return "JdbcRetention[default=" + defaultPolicy + ", overrides=" + overrides + "]";
    }

    /** Settings of a {@link JdbcRetention}; every one has a default. */
    public static final class Builder {
        private final DataSource dataSource;
        private Clock clock = Clock.systemUTC();
        private RetentionPolicy defaultPolicy = RetentionPolicy.defaults();
        private final Map<WorkspaceId, RetentionPolicy> overrides = new LinkedHashMap<>();
        private int batchSize = DEFAULT_BATCH_SIZE;

        private Builder(DataSource dataSource) {
            this.dataSource = Checks.notNull(dataSource, "dataSource");
        }

        public Builder clock(Clock value) {
            this.clock = Checks.notNull(value, "clock");
            return this;
        }

        /** The policy of every workspace without its own; {@link RetentionPolicy#defaults()} unless set. */
        public Builder defaultPolicy(RetentionPolicy policy) {
            this.defaultPolicy = Checks.notNull(policy, "policy");
            return this;
        }

        /** {@code workspace}'s own policy, replacing the default for it. */
        public Builder policy(WorkspaceId workspace, RetentionPolicy policy) {
            overrides.put(Checks.notNull(workspace, "workspace"), Checks.notNull(policy, "policy"));
            return this;
        }

        public Builder batchSize(int value) {
            this.batchSize = Checks.positive(value, "batchSize");
            return this;
        }

        public JdbcRetention build() {
            return new JdbcRetention(this);
        }
    }
}
