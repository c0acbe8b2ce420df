package dev.guildhall.store.jdbc;

import dev.guildhall.core.cost.CostLedger;
import dev.guildhall.testkit.cost.CostLedgerContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class JdbcCostLedgerH2IT extends CostLedgerContract {
    @TempDir
    Path dataDir;

    private JdbcDatabase database;

    @Override
    protected CostLedger newLedger() {
        database = JdbcDatabase.open(JdbcSettings.embedded(dataDir));
        return new JdbcCostLedger(database.dataSource());
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
