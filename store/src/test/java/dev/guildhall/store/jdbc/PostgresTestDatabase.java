package dev.guildhall.store.jdbc;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh schema in the local PostgreSQL test database, dropped on {@link #close()}. When the server
 * is not reachable the calling test is skipped, or fails when {@code GUILDHALL_REQUIRE_SERVICES=true}
 * (as CI sets it), so a missing service never passes silently there.
 */
final class PostgresTestDatabase implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    static final int PORT = 5432;
    static final String DATABASE = "guildhall_test";
    static final String USER = "postgres";
    static final String BASE_URL = "jdbc:postgresql://%s:%d/%s".formatted(HOST, PORT, DATABASE);
    static final String REQUIRE_SERVICES = "GUILDHALL_REQUIRE_SERVICES";

    private final String schema;

    private PostgresTestDatabase(String schema) {
        this.schema = schema;
    }

    /** Creates a new empty schema, or skips (or fails) the test when PostgreSQL is not reachable. */
    static PostgresTestDatabase create() {
        String schema = "t_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            unreachable(e);
        }
        return new PostgresTestDatabase(schema);
    }

    /** Settings whose connections use this schema only; Flyway migrates it and keeps its history there. */
    JdbcSettings settings() {
        return new JdbcSettings(BASE_URL + "?currentSchema=" + schema, USER, null);
    }

    String schema() {
        return schema;
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static Connection connect() throws SQLException {
        DriverManager.setLoginTimeout(3);
        return DriverManager.getConnection(BASE_URL, USER, null);
    }

    private static void unreachable(SQLException cause) {
        String message = "PostgreSQL not reachable at %s as %s (%s); start it with scripts/services.sh"
                .formatted(BASE_URL, USER, cause.getMessage());
        if (Boolean.parseBoolean(System.getenv(REQUIRE_SERVICES))) {
            fail(message + " (" + REQUIRE_SERVICES + "=true, so this fails instead of skipping)", cause);
        }
        Assumptions.assumeTrue(false, message);
    }
}
