package dev.guildhall.core.cost;

import java.math.BigDecimal;
import java.util.List;

/**
 * The record of every model call and what it cost, which budgets and spend reports read. The
 * in-memory implementation serves tests and single-process demos; a JDBC one stores the same
 * entries in a table.
 *
 * <p>Implementations are thread-safe: the gateway records from many threads while reports query.
 */
public interface CostLedger {

    /**
     * Appends one entry. Entries are never changed or removed afterwards.
     *
     * @param entry the call to record; never null
     */
    void record(CostEntry entry);

    /**
     * Adds up the entries {@code query} selects, one row per group, ordered by the group keys
     * (nulls first). With no grouping the answer is exactly one row, with zero totals when nothing
     * matched.
     *
     * @param query what to add up; never null
     * @return the rows; never null
     */
    List<SpendRow> spend(SpendQuery query);

    /**
     * The entries {@code query} selects (its grouping is ignored), oldest first.
     *
     * @return a snapshot; never null
     */
    List<CostEntry> entries(SpendQuery query);

    /** The total cost of the entries {@code query} selects, ignoring its grouping. */
    default BigDecimal totalCost(SpendQuery query) {
        return spend(new SpendQuery(
                        query.workspace(), query.user(), query.agent(), query.from(), query.to(), List.of()))
                .get(0)
                .cost();
    }
}
