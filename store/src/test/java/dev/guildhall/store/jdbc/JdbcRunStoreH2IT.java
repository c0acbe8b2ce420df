package dev.guildhall.store.jdbc;

import dev.guildhall.core.workflow.RunStore;
import dev.guildhall.testkit.workflow.RunStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The run-store contract on H2. */
class JdbcRunStoreH2IT extends RunStoreContract {
    @RegisterExtension
    static final TestDatabase.Extension DB = TestDatabase.h2Extension();

    @Override
    protected RunStore newStore() {
        DB.get().empty();
        return new JdbcRunStore(DB.get().dataSource());
    }
}
