package dev.guildhall.packs.support.desk;

import static org.junit.jupiter.api.Assertions.fail;

import dev.guildhall.store.jdbc.JdbcDatabase;
import dev.guildhall.store.jdbc.JdbcSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * The same contract on PostgreSQL, in a fresh schema of the local test database (dropped after).
 * Skipped with a message when PostgreSQL is not reachable, failed instead when {@code
 * GUILDHALL_REQUIRE_SERVICES=true}; start it with {@code bash scripts/services.sh}.
 */
class SupportStorePostgresIT extends SupportStoreContract {
    private static final String BASE_URL = "jdbc:postgresql://127.0.0.1:5432/guildhall_test";
    private static final String USER = "postgres";

    private String schema;
    private JdbcDatabase database;

    @BeforeEach
    void open() {
        schema = "sup_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(BASE_URL, USER, null);
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String message = "PostgreSQL not reachable at " + BASE_URL + " as " + USER + " (" + e.getMessage()
                    + "); start it with scripts/services.sh";
            if (Boolean.parseBoolean(System.getenv("GUILDHALL_REQUIRE_SERVICES"))) {
                fail(message + " (GUILDHALL_REQUIRE_SERVICES=true, so this fails instead of skipping)", e);
            }
            Assumptions.assumeTrue(false, message);
        }
        database = JdbcDatabase.open(new JdbcSettings(BASE_URL + "?currentSchema=" + schema, USER, null));
    }

    @AfterEach
    void drop() throws SQLException {
        if (database != null) {
            database.close();
        }
        try (Connection c = DriverManager.getConnection(BASE_URL, USER, null);
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Override
    JdbcDatabase database() {
        return database;
    }
}
