package dev.guildhall.store.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Workspaces and the audit log on PostgreSQL. */
class WorkspacesAndAuditPostgresIT extends WorkspacesAndAuditContract {
    @RegisterExtension
    static final TestDatabase.Extension DB = TestDatabase.postgresExtension();

    @Override
    TestDatabase db() {
        return DB.get();
    }
}
