package dev.guildhall.testkit.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.cost.CostEntry;
import dev.guildhall.core.cost.CostLedger;
import dev.guildhall.core.cost.SpendQuery;
import dev.guildhall.core.cost.SpendQuery.GroupBy;
import dev.guildhall.core.cost.SpendRow;
import dev.guildhall.core.gateway.ModelPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link CostLedger} must have. An implementation's test extends this class and
 * overrides only {@link #newLedger()}, which returns an empty ledger.
 */
public abstract class CostLedgerContract {
    protected static final WorkspaceId ACME = WorkspaceId.of("acme");
    protected static final WorkspaceId GLOBEX = WorkspaceId.of("globex");
    protected static final Instant DAY_1 = Instant.parse("2026-03-01T09:00:00Z");
    protected static final Instant DAY_2 = Instant.parse("2026-03-02T18:30:00Z");
    private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-04-01T00:00:00Z");

    private CostLedger ledger;

    protected abstract CostLedger newLedger();

    @BeforeEach
    void createLedger() {
        ledger = newLedger();
    }

    @Test
    void totals_are_one_row_of_zeros_when_nothing_matches() {
        List<SpendRow> rows = ledger.spend(SpendQuery.forWorkspace(ACME, FROM, TO));

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).calls()).isZero();
        assertThat(rows.get(0).cost()).isEqualByComparingTo("0");
    }

    @Test
    void adds_up_a_workspace_within_the_time_window() {
        ledger.record(entry(ACME, "writer", "openai", "gpt-4o-mini", DAY_1, "0.10", 100, 20, false));
        ledger.record(entry(ACME, "writer", "openai", "gpt-4o-mini", DAY_2, "0.20", 200, 40, true));
        ledger.record(entry(ACME, "writer", "openai", "gpt-4o-mini", TO, "5.00", 1, 1, false));
        ledger.record(entry(GLOBEX, "writer", "openai", "gpt-4o-mini", DAY_1, "7.00", 1, 1, false));

        SpendRow total = ledger.spend(SpendQuery.forWorkspace(ACME, FROM, TO)).get(0);

        assertThat(total.calls()).isEqualTo(2);
        assertThat(total.cachedCalls()).isEqualTo(1);
        assertThat(total.inputTokens()).isEqualTo(300);
        assertThat(total.outputTokens()).isEqualTo(60);
        assertThat(total.cost()).isEqualByComparingTo("0.30");
        assertThat(ledger.totalCost(SpendQuery.forWorkspace(ACME, FROM, TO))).isEqualByComparingTo("0.30");
    }

    @Test
    void groups_by_agent() {
        ledger.record(entry(ACME, "writer", "openai", "gpt-4o-mini", DAY_1, "0.10", 10, 1, false));
        ledger.record(entry(ACME, "router", "openai", "gpt-4o-mini", DAY_1, "0.01", 10, 1, false));
        ledger.record(entry(ACME, "writer", "anthropic", "claude-sonnet-4-5", DAY_2, "0.50", 10, 1, false));

        List<SpendRow> rows =
                ledger.spend(SpendQuery.forWorkspace(ACME, FROM, TO).groupBy(GroupBy.AGENT));

        assertThat(rows)
                .extracting(r -> r.agent().value(), SpendRow::calls, r -> r.cost()
                        .stripTrailingZeros()
                        .toPlainString())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("router", 1L, "0.01"),
                        org.assertj.core.groups.Tuple.tuple("writer", 2L, "0.6"));
        assertThat(rows).allSatisfy(r -> assertThat(r.model()).isNull());
    }

    @Test
    void groups_by_model_and_day() {
        ledger.record(entry(ACME, "writer", "openai", "gpt-4o-mini", DAY_1, "0.10", 10, 1, false));
        ledger.record(entry(ACME, "writer", "openai", "gpt-4o-mini", DAY_1.plusSeconds(60), "0.10", 10, 1, false));
        ledger.record(entry(ACME, "writer", "openai", "gpt-4o-mini", DAY_2, "0.30", 10, 1, false));
        ledger.record(entry(ACME, "writer", "anthropic", "claude-sonnet-4-5", DAY_2, "0.50", 10, 1, false));

        List<SpendRow> rows =
                ledger.spend(SpendQuery.forWorkspace(ACME, FROM, TO).groupBy(GroupBy.MODEL, GroupBy.DAY));

        assertThat(rows)
                .extracting(SpendRow::provider, SpendRow::model, SpendRow::day, SpendRow::calls)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "anthropic", "claude-sonnet-4-5", LocalDate.parse("2026-03-02"), 1L),
                        org.assertj.core.groups.Tuple.tuple("openai", "gpt-4o-mini", LocalDate.parse("2026-03-01"), 2L),
                        org.assertj.core.groups.Tuple.tuple(
                                "openai", "gpt-4o-mini", LocalDate.parse("2026-03-02"), 1L));
        assertThat(rows.get(1).cost()).isEqualByComparingTo("0.20");
    }

    @Test
    void groups_every_workspace_by_workspace() {
        ledger.record(entry(ACME, "writer", "openai", "gpt-4o-mini", DAY_1, "0.10", 10, 1, false));
        ledger.record(entry(GLOBEX, "writer", "openai", "gpt-4o-mini", DAY_1, "0.25", 10, 1, false));

        List<SpendRow> rows = ledger.spend(SpendQuery.allWorkspaces(FROM, TO).groupBy(GroupBy.WORKSPACE));

        assertThat(rows).extracting(SpendRow::workspace).containsExactly(ACME, GLOBEX);
        assertThat(rows.get(1).cost()).isEqualByComparingTo("0.25");
    }

    @Test
    void filters_by_user_and_agent() {
        ledger.record(entry(ACME, UserId.of("alice"), "writer", DAY_1, "0.10"));
        ledger.record(entry(ACME, UserId.of("bob"), "writer", DAY_1, "0.20"));
        ledger.record(entry(ACME, UserId.of("alice"), "router", DAY_1, "0.40"));

        assertThat(ledger.totalCost(SpendQuery.forWorkspace(ACME, FROM, TO).withUser(UserId.of("alice"))))
                .isEqualByComparingTo("0.50");
        assertThat(ledger.totalCost(SpendQuery.forWorkspace(ACME, FROM, TO).withAgent(AgentId.of("writer"))))
                .isEqualByComparingTo("0.30");
        assertThat(ledger.spend(SpendQuery.forWorkspace(ACME, FROM, TO).groupBy(GroupBy.USER)))
                .extracting(r -> r.user().value())
                .containsExactly("alice", "bob");
    }

    @Test
    void returns_the_entries_it_recorded_oldest_first() {
        CostEntry later = entry(ACME, "writer", "openai", "gpt-4o-mini", DAY_2, "0.20", 1, 1, false);
        CostEntry earlier = entry(ACME, "writer", "openai", "gpt-4o-mini", DAY_1, "0.10", 1, 1, false);
        ledger.record(later);
        ledger.record(earlier);

        assertThat(ledger.entries(SpendQuery.forWorkspace(ACME, FROM, TO))).containsExactly(earlier, later);
    }

    @Test
    void records_from_many_threads_without_losing_entries() throws Exception {
        int threads = 8;
        int perThread = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    ledger.record(entry(ACME, "writer", "openai", "gpt-4o-mini", DAY_1, "0.001", 1, 1, false));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();

        SpendRow total = ledger.spend(SpendQuery.forWorkspace(ACME, FROM, TO)).get(0);
        assertThat(total.calls()).isEqualTo((long) threads * perThread);
        assertThat(total.cost())
                .isEqualByComparingTo(new BigDecimal("0.001").multiply(BigDecimal.valueOf((long) threads * perThread)));
    }

    protected static CostEntry entry(
            WorkspaceId workspace,
            String agent,
            String provider,
            String model,
            Instant at,
            String cost,
            long in,
            long out,
            boolean cached) {
        return new CostEntry(
                at,
                workspace,
                null,
                null,
                AgentId.of(agent),
                CostEntry.Kind.CHAT,
                provider,
                model,
                ModelPolicy.STANDARD,
                ModelPolicy.STANDARD,
                in,
                out,
                false,
                Duration.ofMillis(120),
                new BigDecimal(cost),
                cached,
                false);
    }

    protected static CostEntry entry(WorkspaceId workspace, UserId user, String agent, Instant at, String cost) {
        return new CostEntry(
                at,
                workspace,
                user,
                null,
                AgentId.of(agent),
                CostEntry.Kind.CHAT,
                "openai",
                "gpt-4o-mini",
                ModelPolicy.CHEAP,
                ModelPolicy.CHEAP,
                1,
                1,
                false,
                Duration.ofMillis(120),
                new BigDecimal(cost),
                false,
                false);
    }
}
