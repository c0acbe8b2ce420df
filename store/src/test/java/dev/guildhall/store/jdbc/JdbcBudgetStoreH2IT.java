package dev.guildhall.store.jdbc;

import dev.guildhall.core.cost.BudgetStore;
import dev.guildhall.testkit.cost.BudgetStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class JdbcBudgetStoreH2IT extends BudgetStoreContract {
    @TempDir
    Path dataDir;

    private JdbcDatabase database;

    @Override
    protected BudgetStore newStore() {
        database = JdbcDatabase.open(JdbcSettings.embedded(dataDir));
        return new JdbcBudgetStore(database.dataSource());
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
