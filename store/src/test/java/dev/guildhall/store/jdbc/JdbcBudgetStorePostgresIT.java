package dev.guildhall.store.jdbc;

import dev.guildhall.core.cost.BudgetStore;
import dev.guildhall.testkit.cost.BudgetStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract on PostgreSQL: one fresh schema for the class, emptied before each test. */
class JdbcBudgetStorePostgresIT extends BudgetStoreContract {
    @RegisterExtension
    static final TestDatabase.Extension DB = TestDatabase.postgresExtension();

    @Override
    protected BudgetStore newStore() {
        DB.get().execute("DELETE FROM budgets");
        return new JdbcBudgetStore(DB.get().dataSource());
    }
}
