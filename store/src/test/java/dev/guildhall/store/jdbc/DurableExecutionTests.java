package dev.guildhall.store.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The durable-execution behaviours on H2 and on PostgreSQL. */
class DurableExecutionTests {

    static class H2IT extends DurableExecutionContract {
        static TestDatabase db;

        @BeforeAll
        static void open() {
            db = TestDatabase.h2();
        }

        @AfterAll
        static void close() throws Exception {
            db.close();
        }

        @Override
        TestDatabase db() {
            return db;
        }
    }

    static class PostgresIT extends DurableExecutionContract {
        static TestDatabase db;

        @BeforeAll
        static void open() {
            db = TestDatabase.postgres();
        }

        @AfterAll
        static void close() throws Exception {
            if (db != null) {
                db.close();
            }
        }

        @Override
        TestDatabase db() {
            return db;
        }
    }
}
