package dev.guildhall.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.gateway.ModelPolicy;
import dev.guildhall.core.time.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BudgetServiceTest {
    private static final WorkspaceId ACME = WorkspaceId.of("acme");
    private static final UserId ALICE = UserId.of("alice");
    private static final UserId BOB = UserId.of("bob");

    private final MutableClock clock = MutableClock.at("2026-03-17T12:00:00Z");
    private final InMemoryCostLedger ledger = new InMemoryCostLedger();
    private final InMemoryBudgetStore store = new InMemoryBudgetStore();
    private final BudgetService budgets = new BudgetService(store, ledger, clock);

    @Test
    void admits_everything_without_budgets() {
        spend(ACME, null, "1000", clock.instant());

        try (BudgetAdmission admission = budgets.admit(ACME, ALICE, new BigDecimal("50"))) {
            assertThat(admission.softLimitReached()).isFalse();
        }
    }

    @Test
    void refuses_a_call_that_would_cross_the_hard_limit_and_says_why() {
        store.save(Budget.forWorkspace(ACME, BudgetPolicy.of(BudgetPeriod.MONTHLY, null, "10")));
        spend(ACME, null, "9.99", clock.instant().minus(Duration.ofDays(3)));

        assertThatThrownBy(() -> budgets.admit(ACME, null, new BigDecimal("0.02")))
                .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
                    assertThat(e.scope()).isEqualTo("workspace acme (monthly)");
                    assertThat(e.limit()).isEqualByComparingTo("10");
                    assertThat(e.spent()).isEqualByComparingTo("9.99");
                    assertThat(e.estimate()).isEqualByComparingTo("0.02");
                })
                .hasMessage(
                        "Budget of workspace acme (monthly) exceeded: hard limit 10, spent 9.99, this call would add about 0.02");
        budgets.admit(ACME, null, new BigDecimal("0.01")).close();
    }

    @Test
    void counts_only_the_current_period_of_its_own_workspace() {
        store.save(Budget.forWorkspace(ACME, BudgetPolicy.of(BudgetPeriod.DAILY, null, "1")));
        spend(ACME, null, "5", Instant.parse("2026-03-16T23:59:59Z"));
        spend(WorkspaceId.of("other"), null, "5", clock.instant());

        assertThat(budgets.spent(budgets.budgetsFor(ACME, null).get(0), null)).isEqualByComparingTo("0");
        budgets.admit(ACME, null, new BigDecimal("0.5")).close();
    }

    @Test
    void a_new_period_starts_from_zero() {
        store.save(Budget.forWorkspace(ACME, BudgetPolicy.of(BudgetPeriod.MONTHLY, null, "1")));
        spend(ACME, null, "1", clock.instant());
        assertThatThrownBy(() -> budgets.admit(ACME, null, new BigDecimal("0.1")))
                .isInstanceOf(BudgetExceededException.class);

        clock.set(Instant.parse("2026-04-01T00:00:00Z"));

        budgets.admit(ACME, null, new BigDecimal("0.1")).close();
    }

    @Test
    void reports_a_crossed_soft_limit() {
        store.save(Budget.forWorkspace(ACME, BudgetPolicy.of(BudgetPeriod.MONTHLY, "5", "10")));
        spend(ACME, null, "4.99", clock.instant());

        try (BudgetAdmission admission = budgets.admit(ACME, null, new BigDecimal("0.02"))) {
            assertThat(admission.softLimitReached()).isTrue();
            assertThat(admission.softLimitScope()).contains("workspace acme (monthly)");
        }
        try (BudgetAdmission admission = budgets.admit(ACME, null, new BigDecimal("0.01"))) {
            assertThat(admission.softLimitReached())
                    .as("exactly at the soft limit is not past it")
                    .isFalse();
        }
    }

    @Test
    void a_user_budget_limits_only_that_user() {
        store.save(Budget.forUser(ACME, ALICE, BudgetPolicy.of(BudgetPeriod.DAILY, null, "1")));
        spend(ACME, ALICE, "0.99", clock.instant());
        spend(ACME, BOB, "50", clock.instant());

        assertThatThrownBy(() -> budgets.admit(ACME, ALICE, new BigDecimal("0.02")))
                .isInstanceOf(BudgetExceededException.class)
                .hasMessageContaining("user alice in workspace acme (daily)");
        budgets.admit(ACME, BOB, new BigDecimal("0.02")).close();
        budgets.admit(ACME, null, new BigDecimal("0.02")).close();
    }

    @Test
    void an_each_user_budget_applies_to_users_without_their_own() {
        store.save(Budget.forEachUser(ACME, BudgetPolicy.of(BudgetPeriod.DAILY, null, "1")));
        store.save(Budget.forUser(ACME, ALICE, BudgetPolicy.of(BudgetPeriod.DAILY, null, "100")));
        spend(ACME, ALICE, "2", clock.instant());
        spend(ACME, BOB, "2", clock.instant());

        budgets.admit(ACME, ALICE, new BigDecimal("1")).close();
        assertThatThrownBy(() -> budgets.admit(ACME, BOB, new BigDecimal("0.01")))
                .hasMessageContaining("user bob in workspace acme (daily)");
        budgets.admit(ACME, UserId.of("carol"), new BigDecimal("0.5")).close();
    }

    @Test
    void the_workspace_and_the_user_budget_must_both_fit() {
        store.save(Budget.forWorkspace(ACME, BudgetPolicy.of(BudgetPeriod.MONTHLY, null, "3")));
        store.save(Budget.forEachUser(ACME, BudgetPolicy.of(BudgetPeriod.MONTHLY, null, "10")));
        spend(ACME, BOB, "2.5", clock.instant());

        assertThatThrownBy(() -> budgets.admit(ACME, ALICE, new BigDecimal("1")))
                .hasMessageContaining("workspace acme (monthly)");
    }

    @Test
    void admitted_calls_hold_their_estimate_until_closed() {
        store.save(Budget.forWorkspace(ACME, BudgetPolicy.of(BudgetPeriod.MONTHLY, null, "1")));

        BudgetAdmission first = budgets.admit(ACME, null, new BigDecimal("0.6"));
        assertThatThrownBy(() -> budgets.admit(ACME, null, new BigDecimal("0.6")))
                .isInstanceOfSatisfying(BudgetExceededException.class, e -> assertThat(e.spent())
                        .isEqualByComparingTo("0.6"));

        first.close();
        first.close();
        budgets.admit(ACME, null, new BigDecimal("0.6")).close();
    }

    @Test
    void rejects_inconsistent_limits() {
        assertThatThrownBy(() -> BudgetPolicy.of(BudgetPeriod.DAILY, "5", "1"))
                .hasMessage("softLimit must be <= hardLimit (1), was 5");
        assertThatThrownBy(() -> BudgetPolicy.of(BudgetPeriod.DAILY, null, null))
                .hasMessage("a budget needs a soft or a hard limit, had neither");
        assertThatThrownBy(
                        () -> new Budget(ACME, Budget.Scope.USER, null, BudgetPolicy.of(BudgetPeriod.DAILY, null, "1")))
                .hasMessageContaining("user must be set exactly when scope is USER");
    }

    private void spend(WorkspaceId workspace, UserId user, String cost, Instant at) {
        ledger.record(new CostEntry(
                at,
                workspace,
                user,
                null,
                null,
                CostEntry.Kind.CHAT,
                "openai",
                "gpt-4o-mini",
                ModelPolicy.CHEAP,
                ModelPolicy.CHEAP,
                10,
                10,
                false,
                Duration.ofMillis(5),
                new BigDecimal(cost),
                false,
                false));
    }
}
