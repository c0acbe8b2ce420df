package dev.guildhall.testkit.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.cost.Budget;
import dev.guildhall.core.cost.BudgetPeriod;
import dev.guildhall.core.cost.BudgetPolicy;
import dev.guildhall.core.cost.BudgetStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link BudgetStore} must have. An implementation's test extends this class and
 * overrides only {@link #newStore()}, which returns an empty store.
 */
public abstract class BudgetStoreContract {
    private static final WorkspaceId ACME = WorkspaceId.of("acme");
    private static final UserId ALICE = UserId.of("alice");

    private BudgetStore store;

    protected abstract BudgetStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    @Test
    void finds_what_it_saved_by_key() {
        Budget workspace = Budget.forWorkspace(ACME, BudgetPolicy.of(BudgetPeriod.MONTHLY, "80", "100"));
        Budget alice = Budget.forUser(ACME, ALICE, BudgetPolicy.of(BudgetPeriod.DAILY, null, "5"));
        store.save(workspace);
        store.save(alice);

        assertThat(store.find(workspace.key())).contains(workspace);
        assertThat(store.find(alice.key())).contains(alice);
        assertThat(store.find(new Budget.Key(ACME, Budget.Scope.EACH_USER, null)))
                .isEmpty();
        assertThat(store.list(ACME)).containsExactlyInAnyOrder(workspace, alice);
        assertThat(store.list(WorkspaceId.of("other"))).isEmpty();
    }

    @Test
    void saving_the_same_key_replaces_the_budget() {
        store.save(Budget.forWorkspace(ACME, BudgetPolicy.of(BudgetPeriod.MONTHLY, null, "100")));
        Budget raised = Budget.forWorkspace(ACME, BudgetPolicy.of(BudgetPeriod.MONTHLY, null, "200"));
        store.save(raised);

        assertThat(store.list(ACME)).containsExactly(raised);
    }

    @Test
    void deletes_by_key() {
        Budget budget = Budget.forEachUser(ACME, BudgetPolicy.of(BudgetPeriod.DAILY, "1", "2"));
        store.save(budget);

        assertThat(store.delete(budget.key())).isTrue();
        assertThat(store.delete(budget.key())).isFalse();
        assertThat(store.find(budget.key())).isEmpty();
    }
}
