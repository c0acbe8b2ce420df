package dev.guildhall.store.jdbc;

import dev.guildhall.core.cost.CostLedger;
import dev.guildhall.testkit.cost.CostLedgerContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract on PostgreSQL: one fresh schema for the class, emptied before each test. */
class JdbcCostLedgerPostgresIT extends CostLedgerContract {
    @RegisterExtension
    static final TestDatabase.Extension DB = TestDatabase.postgresExtension();

    @Override
    protected CostLedger newLedger() {
        DB.get().execute("DELETE FROM cost_ledger");
        return new JdbcCostLedger(DB.get().dataSource());
    }
}
