package dev.guildhall.core.cost;

import dev.guildhall.core.WorkspaceId;
import java.util.List;
import java.util.Optional;

/**
 * Where budgets are kept. The in-memory store serves tests and single-process use; a JDBC store keeps
 * them in a table with {@link Budget.Key} as its primary key.
 *
 * <p>Implementations are thread-safe.
 */
public interface BudgetStore {

    /** Creates or replaces the budget with the same {@link Budget#key() key}. */
    void save(Budget budget);

    /** The budget with {@code key}, or empty when there is none. */
    Optional<Budget> find(Budget.Key key);

    /** Removes the budget with {@code key}; returns whether there was one. */
    boolean delete(Budget.Key key);

    /** Every budget of {@code workspace}, in no particular order; a snapshot, never null. */
    List<Budget> list(WorkspaceId workspace);
}
