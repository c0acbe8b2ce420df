package dev.guildhall.store.jdbc;

import dev.guildhall.core.workflow.RunStore;
import dev.guildhall.testkit.workflow.RunStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The run-store contract on PostgreSQL. */
class JdbcRunStorePostgresIT extends RunStoreContract {
    @RegisterExtension
    static final TestDatabase.Extension DB = TestDatabase.postgresExtension();

    @Override
    protected RunStore newStore() {
        DB.get().empty();
        return new JdbcRunStore(DB.get().dataSource());
    }
}
