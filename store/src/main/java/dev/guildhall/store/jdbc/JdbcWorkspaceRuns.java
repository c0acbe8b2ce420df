package dev.guildhall.store.jdbc;

import dev.guildhall.core.Checks;
import dev.guildhall.core.RunId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.workflow.RunSnapshot;
import dev.guildhall.core.workflow.RunStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Reads of runs through one workspace's eyes: every query carries {@code workspace = ?}, so a run
 * of another workspace is simply not there. The server reaches runs only through this class (and
 * the engine, after a lookup here). Thread-safe.
 */
public final class JdbcWorkspaceRuns {
    private final DataSource dataSource;
    private final JdbcRunStore store;

    /** One row of a run list: the run's identity and status, without its state. */
    public record RunSummary(
            RunId id,
            WorkspaceId workspace,
            String workflowId,
            RunStatus status,
            @Nullable String idempotencyKey,
            Instant createdAt,
            Instant updatedAt,
            long version) {}

    /**
     * Where a page of a run list continues: after the run created at {@code createdAt} with
     * {@code id} (runs are listed newest first, ties broken by id).
     */
    public record Cursor(Instant createdAt, RunId id) {
        public Cursor {
            Checks.notNull(createdAt, "createdAt");
            Checks.notNull(id, "id");
        }
    }

    /** A page of runs and the cursor of the next page, null on the last one. */
    public record Page(List<RunSummary> runs, @Nullable Cursor next) {
        public Page {
            runs = List.copyOf(runs);
        }
    }

    public JdbcWorkspaceRuns(DataSource dataSource, JdbcRunStore store) {
        this.dataSource = Checks.notNull(dataSource, "dataSource");
        this.store = Checks.notNull(store, "store");
    }

    /** The run when it belongs to {@code workspace}; empty when it does not exist or belongs to another. */
    public Optional<RunSnapshot> find(WorkspaceId workspace, RunId id) {
        return belongs(workspace, id) ? store.find(id).filter(r -> r.workspace().equals(workspace)) : Optional.empty();
    }

    /** The run's checkpoints, oldest first, when it belongs to {@code workspace}. */
    public Optional<List<RunSnapshot>> history(WorkspaceId workspace, RunId id) {
        return belongs(workspace, id) ? Optional.of(store.history(id)) : Optional.empty();
    }

    public boolean belongs(WorkspaceId workspace, RunId id) {
        Checks.notNull(workspace, "workspace");
        Checks.notNull(id, "id");
        return Sql.autoCommit(dataSource, "find run " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM runs WHERE id = ? AND workspace = ?")) {
                ps.setString(1, id.value());
                ps.setString(2, workspace.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /**
     * A page of the workspace's runs, newest first.
     *
     * @param status only runs in this status, or null for all
     * @param workflowId only runs of this workflow, or null for all
     * @param after the previous page's {@link Page#next()}, or null for the first page
     * @param limit at most this many runs, 1 to 1000
     */
    public Page list(
            WorkspaceId workspace,
            @Nullable RunStatus status,
            @Nullable String workflowId,
            @Nullable Cursor after,
            int limit) {
        return listOfWorkflows(workspace, status, workflowId == null ? null : List.of(workflowId), after, limit);
    }

    /**
     * A page of the workspace's runs, newest first, of any of {@code workflowIds} (the versions of one
     * registered workflow, say); null for every workflow, empty for none.
     */
    public Page listOfWorkflows(
            WorkspaceId workspace,
            @Nullable RunStatus status,
            @Nullable List<String> workflowIds,
            @Nullable Cursor after,
            int limit) {
        Checks.notNull(workspace, "workspace");
        Checks.check(limit >= 1 && limit <= 1000, "limit must be between 1 and 1000, was " + limit);
        StringBuilder sql = new StringBuilder(
                "SELECT id, workspace, workflow_id, status, idempotency_key, created_epoch_nanos, updated_epoch_nanos,"
                        + " version FROM runs WHERE workspace = ?");
        List<Object> args = new ArrayList<>();
        args.add(workspace.value());
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status.name());
        }
        if (workflowIds != null) {
            if (workflowIds.isEmpty()) {
                return new Page(List.of(), null);
            }
            sql.append(" AND workflow_id IN (")
                    .append(String.join(", ", java.util.Collections.nCopies(workflowIds.size(), "?")))
                    .append(')');
            args.addAll(workflowIds);
        }
        if (after != null) {
            sql.append(" AND (created_epoch_nanos < ? OR (created_epoch_nanos = ? AND id > ?))");
            long at = Sql.nanos(after.createdAt());
            args.add(at);
            args.add(at);
            args.add(after.id().value());
        }
        sql.append(" ORDER BY created_epoch_nanos DESC, id ASC LIMIT ?");
        args.add(limit + 1);
        List<RunSummary> rows = Sql.autoCommit(dataSource, "list runs of " + workspace, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    Object arg = args.get(i);
                    if (arg instanceof Long l) {
                        ps.setLong(i + 1, l);
                    } else if (arg instanceof Integer n) {
                        ps.setInt(i + 1, n);
                    } else {
                        ps.setString(i + 1, (String) arg);
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    List<RunSummary> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                    return out;
                }
            }
        });
        if (rows.size() <= limit) {
            return new Page(rows, null);
        }
        RunSummary last = rows.get(limit - 1);
        return new Page(rows.subList(0, limit), new Cursor(last.createdAt(), last.id()));
    }

    private static RunSummary read(ResultSet rs) throws SQLException {
        return new RunSummary(
                RunId.of(rs.getString(1)),
                WorkspaceId.of(rs.getString(2)),
                rs.getString(3),
                RunStatus.valueOf(rs.getString(4)),
                rs.getString(5),
                Sql.instant(rs.getLong(6)),
                Sql.instant(rs.getLong(7)),
                rs.getLong(8));
    }
}
