package dev.guildhall.store.jdbc;

import dev.guildhall.core.workflow.InMemoryRunStore;
import dev.guildhall.core.workflow.RunStore;
import dev.guildhall.testkit.workflow.RunStoreContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

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
        @RegisterExtension
        static final TestDatabase.Extension DB = TestDatabase.h2Extension();

        @Override
        protected RunStore newStore() {
            DB.get().empty();
            return new JdbcRunStore(DB.get().dataSource());
        }
    }

    static class PostgresIT extends RunStoreContract {
        @RegisterExtension
        static final TestDatabase.Extension DB = TestDatabase.postgresExtension();

        @Override
        protected RunStore newStore() {
            DB.get().empty();
            return new JdbcRunStore(DB.get().dataSource());
        }
    }
}
