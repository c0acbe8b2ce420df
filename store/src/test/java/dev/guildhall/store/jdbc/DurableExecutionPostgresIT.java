package dev.guildhall.store.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Durable execution on PostgreSQL. */
class DurableExecutionPostgresIT extends DurableExecutionContract {
    @RegisterExtension
    static final TestDatabase.Extension DB = TestDatabase.postgresExtension();

    @Override
    TestDatabase db() {
        return DB.get();
    }
}
