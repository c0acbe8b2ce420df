package dev.guildhall.store.jdbc;

import dev.guildhall.core.workflow.InMemoryRunStore;
import dev.guildhall.core.workflow.RunStore;
import dev.guildhall.testkit.workflow.RunStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** The run-store contract on the in-memory store, on H2 and on PostgreSQL. */
class RunStoreTests {

    @Nested
    class InMemory extends RunStoreContract {
        @Override
        protected RunStore newStore() {
            return new InMemoryRunStore();
        }
    }

    static class H2IT extends RunStoreContract {
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
        protected RunStore newStore() {
            db.empty();
            return new JdbcRunStore(db.dataSource());
        }
    }

    static class PostgresIT extends RunStoreContract {
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
        protected RunStore newStore() {
            db.empty();
            return new JdbcRunStore(db.dataSource());
        }
    }
}
