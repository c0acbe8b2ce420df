package dev.guildhall.store.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Retention and the storage report on H2 and on PostgreSQL. */
class RetentionTests {

    static class H2IT extends RetentionContract {
        @RegisterExtension
        static final TestDatabase.Extension DB = TestDatabase.h2Extension();

        @Override
        TestDatabase db() {
            return DB.get();
        }
    }

    static class PostgresIT extends RetentionContract {
        @RegisterExtension
        static final TestDatabase.Extension DB = TestDatabase.postgresExtension();

        @Override
        TestDatabase db() {
            return DB.get();
        }
    }
}
