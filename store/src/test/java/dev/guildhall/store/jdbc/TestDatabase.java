package dev.guildhall.store.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A migrated database for one test class: an H2 file in a temporary directory, or a fresh schema in
 * the local PostgreSQL ({@link PostgresTestDatabase} decides whether a missing server skips or fails).
 */
final class TestDatabase implements AutoCloseable {
    static final List<String> DURABLE_TABLES = List.of(
            "step_calls", "jobs", "signals", "outbox", "payloads", "checkpoints", "runs", "audit_log", "workspaces");

    private final JdbcDatabase database;
    private final AutoCloseable owner;
    private final String name;

    private TestDatabase(JdbcDatabase database, AutoCloseable owner, String name) {
        this.database = database;
        this.owner = owner;
        this.name = name;
    }

    static TestDatabase h2() {
        try {
            Path dir = Files.createTempDirectory("guildhall-h2-");
            return new TestDatabase(JdbcDatabase.open(JdbcSettings.embedded(dir)), () -> {}, "H2");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static TestDatabase postgres() {
        PostgresTestDatabase pg = PostgresTestDatabase.create();
        return new TestDatabase(JdbcDatabase.open(pg.settings()), pg, "PostgreSQL");
    }

    JdbcDatabase database() {
        return database;
    }

    javax.sql.DataSource dataSource() {
        return database.dataSource();
    }

    /** Empties the durable-execution tables, for a test that wants a clean slate. */
    void empty() {
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement()) {
            for (String table : DURABLE_TABLES) {
                s.execute("DELETE FROM " + table);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not empty the " + name + " test database", e);
        }
    }

    void execute(String sql) {
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    long count(String sql) {
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() throws Exception {
        database.close();
        owner.close();
    }

    @Override
    public String toString() {
        return name;
    }

    /** Opens the database before a test class and closes it after: {@code @RegisterExtension static final}. */
    static Extension h2Extension() {
        return new Extension(TestDatabase::h2);
    }

    static Extension postgresExtension() {
        return new Extension(TestDatabase::postgres);
    }

    static final class Extension
            implements org.junit.jupiter.api.extension.BeforeAllCallback,
                    org.junit.jupiter.api.extension.AfterAllCallback {
        private final java.util.function.Supplier<TestDatabase> opener;
        private TestDatabase db;

        private Extension(java.util.function.Supplier<TestDatabase> opener) {
            this.opener = opener;
        }

        TestDatabase get() {
            return db;
        }

        @Override
        public void beforeAll(org.junit.jupiter.api.extension.ExtensionContext context) {
            db = opener.get();
        }

        @Override
        public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
            if (db != null) {
                db.close();
            }
        }
    }
}
