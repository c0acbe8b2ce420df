package dev.guildhall.store.jdbc;

import dev.guildhall.core.Checks;
import dev.guildhall.core.RunId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.workflow.RunStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * What runs the store holds and how much room they take: the operator's view of the {@code runs},
 * {@code checkpoints} and {@code payloads} tables. Read-only; thread-safe.
 *
 * <p>Bytes are an estimate that both databases compute the same way: the characters of a
 * checkpoint's text columns (state, payload references, frontier, visits, waits, journal, failure)
 * plus each payload's {@code size_bytes}. Row headers, indexes and the run's own row are not counted.
 */
public final class JdbcRunCatalog {
    /** One checkpoint's size in characters, over the alias {@code c}. */
    static final String CHECKPOINT_BYTES = "(LENGTH(c.state_inline) + LENGTH(c.state_refs) + LENGTH(c.frontier)"
            + " + LENGTH(c.visits) + LENGTH(c.waits) + LENGTH(c.journal) + COALESCE(LENGTH(c.failure), 0))";

    private static final String PER_RUN = "SELECT r.id, r.workspace, r.workflow_id, r.status, r.compacted,"
            + " r.updated_epoch_nanos, COALESCE(cs.n, 0) AS checkpoints, COALESCE(cs.bytes, 0) AS checkpoint_bytes,"
            + " COALESCE(ps.n, 0) AS payloads, COALESCE(ps.bytes, 0) AS payload_bytes FROM runs r"
            + " LEFT JOIN (SELECT c.run_id, COUNT(*) AS n, SUM(" + CHECKPOINT_BYTES + ") AS bytes"
            + " FROM checkpoints c GROUP BY c.run_id) cs ON cs.run_id = r.id"
            + " LEFT JOIN (SELECT p.run_id, COUNT(*) AS n, SUM(p.size_bytes) AS bytes"
            + " FROM payloads p GROUP BY p.run_id) ps ON ps.run_id = r.id";

    private final DataSource dataSource;

    public JdbcRunCatalog(DataSource dataSource) {
        this.dataSource = Checks.notNull(dataSource, "dataSource");
    }

    /** A run as listed: its identity and where it stands, without its state. */
    public record RunSummary(
            RunId id,
            WorkspaceId workspace,
            String workflowId,
            RunStatus status,
            long version,
            int superstep,
            boolean compacted,
            Instant createdAt,
            Instant updatedAt) {}

    /** What one run stores. {@link #bytes()} is the estimate described on {@link JdbcRunCatalog}. */
    public record RunStorage(
            RunId run,
            WorkspaceId workspace,
            String workflowId,
            RunStatus status,
            boolean compacted,
            Instant updatedAt,
            long checkpoints,
            long checkpointBytes,
            long payloads,
            long payloadBytes) {
        public long bytes() {
            return checkpointBytes + payloadBytes;
        }
    }

    /** What all of a workspace's runs store together. */
    public record WorkspaceStorage(WorkspaceId workspace, long runs, long checkpoints, long payloads, long bytes) {}

    /**
     * Runs, most recently changed first.
     *
     * @param workspace only this workspace; null for all
     * @param status only runs in this status; null for all
     */
    public List<RunSummary> list(@Nullable WorkspaceId workspace, @Nullable RunStatus status, int limit) {
        Checks.positive(limit, "limit");
        List<String> args = new ArrayList<>();
        StringBuilder sql =
                new StringBuilder("SELECT id, workspace, workflow_id, status, version, superstep, compacted,"
                        + " created_epoch_nanos, updated_epoch_nanos FROM runs WHERE 1 = 1");
        if (workspace != null) {
            sql.append(" AND workspace = ?");
            args.add(workspace.value());
        }
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status.name());
        }
        sql.append(" ORDER BY updated_epoch_nanos DESC, id LIMIT ?");
        return Sql.autoCommit(dataSource, "list runs", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = bind(ps, args);
                ps.setInt(i, limit);
                List<RunSummary> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new RunSummary(
                                RunId.of(rs.getString(1)),
                                WorkspaceId.of(rs.getString(2)),
                                rs.getString(3),
                                RunStatus.valueOf(rs.getString(4)),
                                rs.getLong(5),
                                rs.getInt(6),
                                rs.getBoolean(7),
                                Sql.instant(rs.getLong(8)),
                                Sql.instant(rs.getLong(9))));
                    }
                }
                return out;
            }
        });
    }

    /**
     * What each run stores, largest first.
     *
     * @param workspace only this workspace; null for all
     */
    public List<RunStorage> storage(@Nullable WorkspaceId workspace, int limit) {
        Checks.positive(limit, "limit");
        String sql = PER_RUN + (workspace == null ? "" : " WHERE r.workspace = ?")
                + " ORDER BY COALESCE(cs.bytes, 0) + COALESCE(ps.bytes, 0) DESC, r.id LIMIT ?";
        return Sql.autoCommit(dataSource, "storage per run", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = bind(ps, workspace == null ? List.of() : List.of(workspace.value()));
                ps.setInt(i, limit);
                List<RunStorage> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new RunStorage(
                                RunId.of(rs.getString(1)),
                                WorkspaceId.of(rs.getString(2)),
                                rs.getString(3),
                                RunStatus.valueOf(rs.getString(4)),
                                rs.getBoolean(5),
                                Sql.instant(rs.getLong(6)),
                                rs.getLong(7),
                                rs.getLong(8),
                                rs.getLong(9),
                                rs.getLong(10)));
                    }
                }
                return out;
            }
        });
    }

    /** What one run stores; empty when there is no such run. */
    public java.util.Optional<RunStorage> storage(RunId run) {
        Checks.notNull(run, "run");
        return Sql.autoCommit(dataSource, "storage of run " + run, c -> {
            try (PreparedStatement ps = c.prepareStatement(PER_RUN + " WHERE r.id = ?")) {
                ps.setString(1, run.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return java.util.Optional.<RunStorage>empty();
                    }
                    return java.util.Optional.of(new RunStorage(
                            RunId.of(rs.getString(1)),
                            WorkspaceId.of(rs.getString(2)),
                            rs.getString(3),
                            RunStatus.valueOf(rs.getString(4)),
                            rs.getBoolean(5),
                            Sql.instant(rs.getLong(6)),
                            rs.getLong(7),
                            rs.getLong(8),
                            rs.getLong(9),
                            rs.getLong(10)));
                }
            }
        });
    }

    /**
     * Totals per workspace, by workspace name.
     *
     * @param workspace only this workspace; null for all
     */
    public List<WorkspaceStorage> storageByWorkspace(@Nullable WorkspaceId workspace) {
        String sql = "SELECT s.workspace, COUNT(*), SUM(s.checkpoints), SUM(s.payloads),"
                + " SUM(s.checkpoint_bytes + s.payload_bytes) FROM (" + PER_RUN
                + (workspace == null ? "" : " WHERE r.workspace = ?") + ") s GROUP BY s.workspace ORDER BY s.workspace";
        return Sql.autoCommit(dataSource, "storage per workspace", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, workspace == null ? List.of() : List.of(workspace.value()));
                List<WorkspaceStorage> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new WorkspaceStorage(
                                WorkspaceId.of(rs.getString(1)),
                                rs.getLong(2),
                                rs.getLong(3),
                                rs.getLong(4),
                                rs.getLong(5)));
                    }
                }
                return out;
            }
        });
    }

    private static int bind(PreparedStatement ps, List<String> args) throws SQLException {
        int i = 1;
        for (String a : args) {
            ps.setString(i++, a);
        }
        return i;
    }
}
