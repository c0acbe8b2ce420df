package dev.guildhall.store.jdbc;

import dev.guildhall.core.cost.BudgetStore;
import dev.guildhall.testkit.cost.BudgetStoreContract;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on PostgreSQL: one fresh schema for the class, emptied before each test. */
class JdbcBudgetStorePostgresIT extends BudgetStoreContract {
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
    protected BudgetStore newStore() {
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("DELETE FROM budgets");
        } catch (SQLException e) {
            throw new IllegalStateException("could not empty budgets in schema " + postgres.schema(), e);
        }
        return new JdbcBudgetStore(database.dataSource());
    }
}
