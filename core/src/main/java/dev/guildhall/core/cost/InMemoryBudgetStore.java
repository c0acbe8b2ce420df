package dev.guildhall.core.cost;

import dev.guildhall.core.Checks;
import dev.guildhall.core.WorkspaceId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link BudgetStore} in a map: for tests and single-process use; lost on restart. */
public final class InMemoryBudgetStore implements BudgetStore {
    private final ConcurrentHashMap<Budget.Key, Budget> budgets = new ConcurrentHashMap<>();

    @Override
    public void save(Budget budget) {
        Checks.notNull(budget, "budget");
        budgets.put(budget.key(), budget);
    }

    @Override
    public Optional<Budget> find(Budget.Key key) {
        return Optional.ofNullable(budgets.get(Checks.notNull(key, "key")));
    }

    @Override
    public boolean delete(Budget.Key key) {
        return budgets.remove(Checks.notNull(key, "key")) != null;
    }

    @Override
    public List<Budget> list(WorkspaceId workspace) {
        Checks.notNull(workspace, "workspace");
        return budgets.values().stream()
                .filter(b -> b.workspace().equals(workspace))
                .toList();
    }
}
