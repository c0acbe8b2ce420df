package dev.guildhall.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.RunId;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.cost.Budget;
import dev.guildhall.core.cost.BudgetPeriod;
import dev.guildhall.core.cost.BudgetPolicy;
import dev.guildhall.core.cost.CostEntry;
import dev.guildhall.core.cost.SpendQuery;
import dev.guildhall.core.gateway.ModelPolicy;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcDatabaseH2IT {
    private static final WorkspaceId ACME = WorkspaceId.of("acme");
    private static final Instant AT = Instant.parse("2026-03-01T09:00:00.123456789Z");

    @TempDir
    Path dataDir;

    @Test
    void reopening_the_same_file_runs_the_migrations_again_and_keeps_the_rows() throws Exception {
        CostEntry entry = new CostEntry(
                AT,
                ACME,
                UserId.of("alice"),
                RunId.of("run-1"),
                AgentId.of("writer"),
                CostEntry.Kind.EMBEDDING,
                "openai",
                "text-embedding-3-small",
                ModelPolicy.CHEAP,
                ModelPolicy.STANDARD,
                42,
                0,
                true,
                Duration.ofNanos(1_500_000_123L),
                new BigDecimal("0.000000150"),
                false,
                true);
        Budget budget = Budget.forUser(ACME, UserId.of("alice"), BudgetPolicy.of(BudgetPeriod.DAILY, "0.50", "1.0"));
        try (JdbcDatabase database = JdbcDatabase.open(JdbcSettings.embedded(dataDir))) {
            new JdbcCostLedger(database.dataSource()).record(entry);
            new JdbcBudgetStore(database.dataSource()).save(budget);
        }

        try (JdbcDatabase reopened = JdbcDatabase.open(JdbcSettings.embedded(dataDir))) {
            SpendQuery march = SpendQuery.forWorkspace(
                    ACME, Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));
            assertThat(new JdbcCostLedger(reopened.dataSource()).entries(march)).containsExactly(entry);
            assertThat(new JdbcBudgetStore(reopened.dataSource()).find(budget.key()))
                    .contains(budget);
            assertThat(appliedVersions(reopened)).containsExactly("1", "2", "3", "4", "5", "6");
        }
    }

    @Test
    void embedded_settings_point_at_an_h2_file_in_postgresql_mode() {
        JdbcSettings settings = JdbcSettings.embedded(dataDir);

        assertThat(settings.url())
                .startsWith(
                        "jdbc:h2:file:" + dataDir.toAbsolutePath().toString().replace('\\', '/'))
                .contains("MODE=PostgreSQL");
    }

    /** The versions in Flyway's history; a migration applied twice would appear twice. */
    private static List<String> appliedVersions(JdbcDatabase database) throws Exception {
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL AND \"success\" ORDER BY \"installed_rank\"")) {
            List<String> versions = new ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
            return versions;
        }
    }
}
