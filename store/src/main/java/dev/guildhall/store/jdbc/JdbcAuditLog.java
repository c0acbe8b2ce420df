package dev.guildhall.store.jdbc;

import dev.guildhall.core.Checks;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.audit.AuditEntry;
import dev.guildhall.core.audit.AuditLog;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The audit log in the {@code audit_log} table; only inserts and reads, never updates. */
public final class JdbcAuditLog implements AuditLog {
    private final DataSource dataSource;

    public JdbcAuditLog(DataSource dataSource) {
        this.dataSource = Checks.notNull(dataSource, "dataSource");
    }

    @Override
    public void append(AuditEntry e) {
        Checks.notNull(e, "entry");
        Sql.autoCommit(dataSource, "append audit entry", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (workspace, actor, action, target,"
                    + " detail, source, at_epoch_nanos) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, e.workspace().value());
                ps.setString(2, e.actor());
                ps.setString(3, e.action());
                ps.setString(4, e.target());
                ps.setString(5, e.detail());
                ps.setString(6, e.source());
                ps.setLong(7, Sql.nanos(e.at()));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<AuditEntry> find(WorkspaceId workspace, Instant from, Instant to, int limit) {
        Checks.notNull(workspace, "workspace");
        Checks.positive(limit, "limit");
        return Sql.autoCommit(dataSource, "read audit log", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT actor, action, target, detail, source, at_epoch_nanos"
                            + " FROM audit_log WHERE workspace = ? AND at_epoch_nanos >= ? AND at_epoch_nanos < ?"
                            + " ORDER BY at_epoch_nanos DESC, id DESC LIMIT ?")) {
                ps.setString(1, workspace.value());
                ps.setLong(2, Sql.nanos(from));
                ps.setLong(3, Sql.nanos(to));
                ps.setInt(4, limit);
                List<AuditEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AuditEntry(
                                workspace,
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                Sql.instant(rs.getLong(6))));
                    }
                }
                return out;
            }
        });
    }
}
