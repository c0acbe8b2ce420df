package dev.guildhall.store.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The durable-execution behaviours on H2 and on PostgreSQL. */
class DurableExecutionTests {

    static class H2IT extends DurableExecutionContract {
        @RegisterExtension
        static final TestDatabase.Extension DB = TestDatabase.h2Extension();

        @Override
        TestDatabase db() {
            return DB.get();
        }
    }

    static class PostgresIT extends DurableExecutionContract {
        @RegisterExtension
        static final TestDatabase.Extension DB = TestDatabase.postgresExtension();

        @Override
        TestDatabase db() {
            return DB.get();
        }
    }
}
