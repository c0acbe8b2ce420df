package dev.guildhall.store.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Workspaces and the audit log on H2. */
class WorkspacesAndAuditH2IT extends WorkspacesAndAuditContract {
    @RegisterExtension
    static final TestDatabase.Extension DB = TestDatabase.h2Extension();

    @Override
    TestDatabase db() {
        return DB.get();
    }
}
