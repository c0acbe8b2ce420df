package dev.guildhall.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.audit.AuditEntry;
import dev.guildhall.core.workspace.Workspace;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Workspaces and the audit log, on any database. */
abstract class WorkspacesAndAuditContract {
    static final Instant T0 = Instant.parse("2026-03-01T09:00:00.000000001Z");

    abstract TestDatabase db();

    JdbcWorkspaceStore workspaces;
    JdbcAuditLog audit;

    @BeforeEach
    void empty() {
        db().empty();
        workspaces = new JdbcWorkspaceStore(db().dataSource());
        audit = new JdbcAuditLog(db().dataSource());
    }

    @Test
    void a_workspace_is_stored_once_and_listed_by_id() {
        workspaces.create(new Workspace(WorkspaceId.of("globex"), "Globex", T0));
        workspaces.create(new Workspace(WorkspaceId.of("acme"), "Acme Corp", T0));

        assertThatThrownBy(() -> workspaces.create(new Workspace(WorkspaceId.of("acme"), "Again", T0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already exists");
        assertThat(workspaces.find(WorkspaceId.of("acme")))
                .contains(new Workspace(WorkspaceId.of("acme"), "Acme Corp", T0));
        assertThat(workspaces.list()).extracting(w -> w.id().value()).containsExactly("acme", "globex");
        assertThat(workspaces.find(WorkspaceId.of("nope"))).isEmpty();
    }

    @Test
    void the_audit_log_returns_a_workspaces_entries_in_the_window_newest_first() {
        WorkspaceId acme = WorkspaceId.of("acme");
        audit.append(new AuditEntry(acme, "dana", "run.start", "run-1", "{}", "10.0.0.7", T0));
        audit.append(new AuditEntry(acme, "dana", "run.cancel", "run-1", "", "cli", T0.plusSeconds(60)));
        audit.append(new AuditEntry(WorkspaceId.of("globex"), "eve", "run.start", "run-2", "", "cli", T0));
        audit.append(new AuditEntry(acme, "ops", "key.revoke", "k-1", "", "cli", T0.plusSeconds(7200)));

        assertThat(audit.find(acme, T0, T0.plusSeconds(3600), 10))
                .extracting(AuditEntry::action)
                .containsExactly("run.cancel", "run.start");
        assertThat(audit.find(acme, T0, T0.plusSeconds(9000), 1))
                .extracting(AuditEntry::action)
                .containsExactly("key.revoke");
        assertThat(audit.find(acme, T0, T0.plusSeconds(1), 10).get(0))
                .isEqualTo(new AuditEntry(acme, "dana", "run.start", "run-1", "{}", "10.0.0.7", T0));
    }
}
