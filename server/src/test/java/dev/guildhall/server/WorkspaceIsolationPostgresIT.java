package dev.guildhall.server;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.core.Ordered;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;
import org.springframework.test.context.TestExecutionListeners;

/**
 * The cross-workspace sweep on PostgreSQL, in a fresh schema of the local test database. Skipped
 * with a message when PostgreSQL is not reachable, failed instead when
 * {@code GUILDHALL_REQUIRE_SERVICES=true}; start it with {@code bash scripts/services.sh}.
 */
@DirtiesContext
@TestExecutionListeners(
        listeners = WorkspaceIsolationPostgresIT.DropSchema.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
class WorkspaceIsolationPostgresIT extends WorkspaceIsolationContract {
    private static final String BASE_URL = "jdbc:postgresql://127.0.0.1:5432/guildhall_test";
    private static final String USER = "postgres";
    private static String schema;

    @BeforeAll
    static void createSchema() {
        schema = "srv_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = openConnection();
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
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("guildhall.db.url", () -> BASE_URL + "?currentSchema=" + schema);
        registry.add("guildhall.db.user", () -> USER);
    }

    /**
     * Drops the schema after {@code @DirtiesContext} closed the server (this listener's low order
     * puts its after-class step last), so no pooled connection holds the schema meanwhile.
     */
    static final class DropSchema implements TestExecutionListener, Ordered {
        @Override
        public int getOrder() {
            return 0;
        }

        @Override
        public void afterTestClass(TestContext testContext) throws SQLException {
            if (schema == null) {
                return;
            }
            try (Connection c = openConnection();
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private static Connection openConnection() throws SQLException {
        DriverManager.setLoginTimeout(3);
        return DriverManager.getConnection(BASE_URL, USER, null);
    }
}
