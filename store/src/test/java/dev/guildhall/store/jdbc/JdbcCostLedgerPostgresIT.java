package dev.guildhall.store.jdbc;

import dev.guildhall.core.cost.CostLedger;
import dev.guildhall.testkit.cost.CostLedgerContract;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on PostgreSQL: one fresh schema for the class, emptied before each test. */
class JdbcCostLedgerPostgresIT extends CostLedgerContract {
    private static PostgresTestDatabase postgres;
    private static JdbcDatabase database;

    @BeforeAll
    static void openDatabase() {
        postgres = PostgresTestDatabase.create();
        database = JdbcDatabase.open(postgres.settings());
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected CostLedger newLedger() {
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("DELETE FROM cost_ledger");
        } catch (SQLException e) {
            throw new IllegalStateException("could not empty cost_ledger in schema " + postgres.schema(), e);
        }
        return new JdbcCostLedger(database.dataSource());
    }
}
