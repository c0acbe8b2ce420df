package dev.guildhall.store.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Users, memberships, API keys and workspace-scoped run reads on H2. */
class IdentitiesKeysAndWorkspaceRunsH2IT extends IdentitiesKeysAndWorkspaceRunsContract {
    @RegisterExtension
    static final TestDatabase.Extension DB = TestDatabase.h2Extension();

    @Override
    TestDatabase db() {
        return DB.get();
    }
}
