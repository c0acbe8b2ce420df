package dev.guildhall.testkit.cost;

import dev.guildhall.core.cost.BudgetStore;
import dev.guildhall.core.cost.InMemoryBudgetStore;

class InMemoryBudgetStoreTest extends BudgetStoreContract {
    @Override
    protected BudgetStore newStore() {
        return new InMemoryBudgetStore();
    }
}
