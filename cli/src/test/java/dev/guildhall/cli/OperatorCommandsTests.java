package dev.guildhall.cli;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/** The operator's commands on the embedded H2 database and on PostgreSQL ({@code GUILDHALL_DB_URL}). */
class OperatorCommandsTests {

    static class H2IT extends OperatorCommandsContract {
        @Override
        Map<String, String> databaseEnv() {
            return Map.of();
        }
    }

    /** Each test gets a fresh schema in the local test database; skipped (or failed under CI) without PostgreSQL. */
    static class PostgresIT extends OperatorCommandsContract {
        static final String URL = "jdbc:postgresql://127.0.0.1:5432/guildhall_test";
        String schema;

        @BeforeEach
        void createSchema() {
            schema = "cli_"
                    + UUID.randomUUID()
                            .toString()
                            .replace("-", "")
                            .substring(0, 12)
                            .toLowerCase(Locale.ROOT);
            try (Connection c = DriverManager.getConnection(URL, "postgres", null);
                    Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            } catch (SQLException e) {
                String message = "PostgreSQL not reachable at " + URL + " (" + e.getMessage()
                        + "); start it with scripts/services.sh";
                if (Boolean.parseBoolean(System.getenv("GUILDHALL_REQUIRE_SERVICES"))) {
                    fail(message, e);
                }
                Assumptions.assumeTrue(false, message);
            }
        }

        @AfterEach
        void dropSchema() throws SQLException {
            if (schema != null) {
                try (Connection c = DriverManager.getConnection(URL, "postgres", null);
                        Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }

        @Override
        Map<String, String> databaseEnv() {
            return Map.of("GUILDHALL_DB_URL", URL + "?currentSchema=" + schema, "GUILDHALL_DB_USER", "postgres");
        }
    }
}
