package dev.guildhall.store.jdbc;

import dev.guildhall.core.Checks;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.workspace.Workspace;
import dev.guildhall.core.workspace.WorkspaceStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Workspaces in the {@code workspaces} table. */
public final class JdbcWorkspaceStore implements WorkspaceStore {
    private static final String UNIQUE_VIOLATION = "23505";
    private final DataSource dataSource;

    public JdbcWorkspaceStore(DataSource dataSource) {
        this.dataSource = Checks.notNull(dataSource, "dataSource");
    }

    @Override
    public Workspace create(Workspace workspace) {
        Checks.notNull(workspace, "workspace");
        try {
            Sql.autoCommit(dataSource, "create workspace " + workspace.id(), c -> {
                try (PreparedStatement ps =
                        c.prepareStatement("INSERT INTO workspaces (id, name, created_epoch_nanos) VALUES (?, ?, ?)")) {
                    ps.setString(1, workspace.id().value());
                    ps.setString(2, workspace.name());
                    ps.setLong(3, Sql.nanos(workspace.createdAt()));
                    return ps.executeUpdate();
                }
            });
        } catch (StoreFailedException e) {
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                throw new IllegalArgumentException("workspace " + workspace.id() + " already exists", e);
            }
            throw e;
        }
        return workspace;
    }

    @Override
    public Optional<Workspace> find(WorkspaceId id) {
        Checks.notNull(id, "id");
        return Sql.autoCommit(dataSource, "find workspace " + id, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT id, name, created_epoch_nanos FROM workspaces WHERE id = ?")) {
                ps.setString(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.<Workspace>empty();
                }
            }
        });
    }

    @Override
    public List<Workspace> list() {
        return Sql.autoCommit(dataSource, "list workspaces", c -> {
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT id, name, created_epoch_nanos FROM workspaces ORDER BY id");
                    ResultSet rs = ps.executeQuery()) {
                List<Workspace> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(read(rs));
                }
                return out;
            }
        });
    }

    /** Renames a workspace; false when there is none with that id. */
    public boolean rename(WorkspaceId id, String name) {
        Checks.notNull(id, "id");
        Checks.notBlank(name, "name");
        return Sql.autoCommit(dataSource, "rename workspace " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE workspaces SET name = ? WHERE id = ?")) {
                ps.setString(1, name);
                ps.setString(2, id.value());
                return ps.executeUpdate() > 0;
            }
        });
    }

    private static Workspace read(ResultSet rs) throws SQLException {
        return new Workspace(WorkspaceId.of(rs.getString(1)), rs.getString(2), Sql.instant(rs.getLong(3)));
    }
}
