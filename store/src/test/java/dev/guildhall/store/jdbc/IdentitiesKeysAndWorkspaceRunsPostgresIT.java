package dev.guildhall.store.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Users, memberships, API keys and workspace-scoped run reads on PostgreSQL. */
class IdentitiesKeysAndWorkspaceRunsPostgresIT extends IdentitiesKeysAndWorkspaceRunsContract {
    @RegisterExtension
    static final TestDatabase.Extension DB = TestDatabase.postgresExtension();

    @Override
    TestDatabase db() {
        return DB.get();
    }
}
