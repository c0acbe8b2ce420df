package dev.guildhall.store.jdbc;

import dev.guildhall.core.Checks;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The declarative workflows each workspace registered ({@code workflow_definitions}): the YAML as
 * given, one immutable row per version. Every query names the workspace. Thread-safe.
 */
public final class JdbcWorkflowDefinitions {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS = "workspace, workflow_id, version, yaml, created_by, created_epoch_nanos";
    private final DataSource dataSource;

    /** One version of a registered workflow. */
    public record Definition(
            WorkspaceId workspace, String id, int version, String yaml, UserId createdBy, Instant createdAt) {
        public Definition {
            Checks.notNull(workspace, "workspace");
            Checks.notBlank(id, "id");
            Checks.check(version >= 1, "version must be >= 1, was " + version);
            Checks.notNull(yaml, "yaml");
            Checks.notNull(createdBy, "createdBy");
            Checks.notNull(createdAt, "createdAt");
        }
    }

    public JdbcWorkflowDefinitions(DataSource dataSource) {
        this.dataSource = Checks.notNull(dataSource, "dataSource");
    }

    /**
     * Stores {@code version} of a workflow.
     *
     * @return false when that version already exists (a concurrent registration won)
     */
    public boolean insert(Definition d) {
        Checks.notNull(d, "definition");
        try {
            Sql.autoCommit(dataSource, "register workflow " + d.workspace() + "/" + d.id(), c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO workflow_definitions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, d.workspace().value());
                    ps.setString(2, d.id());
                    ps.setInt(3, d.version());
                    ps.setString(4, d.yaml());
                    ps.setString(5, d.createdBy().value());
                    ps.setLong(6, Sql.nanos(d.createdAt()));
                    return ps.executeUpdate();
                }
            });
            return true;
        } catch (StoreFailedException e) {
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /** The newest version of the workspace's workflow {@code id}. */
    public Optional<Definition> latest(WorkspaceId workspace, String id) {
        Checks.notNull(workspace, "workspace");
        Checks.notNull(id, "id");
        return one(
                "SELECT " + COLUMNS + " FROM workflow_definitions WHERE workspace = ? AND workflow_id = ?"
                        + " ORDER BY version DESC LIMIT 1",
                workspace,
                id,
                null);
    }

    public Optional<Definition> version(WorkspaceId workspace, String id, int version) {
        Checks.notNull(workspace, "workspace");
        Checks.notNull(id, "id");
        return one(
                "SELECT " + COLUMNS + " FROM workflow_definitions WHERE workspace = ? AND workflow_id = ?"
                        + " AND version = ?",
                workspace,
                id,
                version);
    }

    /** The newest version of each of the workspace's workflows, by id. */
    public List<Definition> list(WorkspaceId workspace) {
        Checks.notNull(workspace, "workspace");
        return Sql.autoCommit(dataSource, "list workflows of " + workspace, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM workflow_definitions d WHERE workspace = ? AND version = (SELECT MAX(version)"
                    + " FROM workflow_definitions m WHERE m.workspace = d.workspace AND m.workflow_id = d.workflow_id)"
                    + " ORDER BY workflow_id")) {
                ps.setString(1, workspace.value());
                try (ResultSet rs = ps.executeQuery()) {
                    List<Definition> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                    return out;
                }
            }
        });
    }

    /** The versions the workspace's workflow {@code id} has, oldest first. */
    public List<Integer> versions(WorkspaceId workspace, String id) {
        Checks.notNull(workspace, "workspace");
        Checks.notNull(id, "id");
        return Sql.autoCommit(dataSource, "list versions of workflow " + workspace + "/" + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT version FROM workflow_definitions WHERE workspace = ? AND workflow_id = ? ORDER BY version")) {
                ps.setString(1, workspace.value());
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Integer> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(rs.getInt(1));
                    }
                    return out;
                }
            }
        });
    }

    private Optional<Definition> one(String sql, WorkspaceId workspace, String id, Integer version) {
        return Sql.autoCommit(dataSource, "find workflow " + workspace + "/" + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, workspace.value());
                ps.setString(2, id);
                if (version != null) {
                    ps.setInt(3, version);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.<Definition>empty();
                }
            }
        });
    }

    private static Definition read(ResultSet rs) throws SQLException {
        return new Definition(
                WorkspaceId.of(rs.getString(1)),
                rs.getString(2),
                rs.getInt(3),
                rs.getString(4),
                UserId.of(rs.getString(5)),
                Sql.instant(rs.getLong(6)));
    }
}
