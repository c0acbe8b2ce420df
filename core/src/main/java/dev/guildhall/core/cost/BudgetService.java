package dev.guildhall.core.cost;

import dev.guildhall.core.Checks;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a model call fits the budgets it pays into, before it is sent. A call pays into its
 * workspace's budget and, when it has a user, into that user's budget (or the workspace's
 * each-user budget). Spend is what the {@link CostLedger} holds for the current period plus the
 * estimates of calls admitted but not yet recorded, so that concurrent calls cannot together cross a
 * hard limit that each alone would respect.
 *
 * <p>Thread-safe. Admissions of one workspace are serialised; different workspaces do not wait on each other.
 */
public final class BudgetService {
    private final BudgetStore store;
    private final CostLedger ledger;
    private final Clock clock;
    private final ConcurrentHashMap<WorkspaceId, Object> locks = new ConcurrentHashMap<>();
    private final Map<Reservation, BigDecimal> inFlight = new ConcurrentHashMap<>();

    public BudgetService(BudgetStore store, CostLedger ledger, Clock clock) {
        this.store = Checks.notNull(store, "store");
        this.ledger = Checks.notNull(ledger, "ledger");
        this.clock = Checks.notNull(clock, "clock");
    }

    public BudgetStore store() {
        return store;
    }

    /**
     * The budgets a call in {@code workspace} by {@code user} pays into: the workspace budget, and
     * the user's own budget or else the workspace's each-user budget.
     */
    public List<Budget> budgetsFor(WorkspaceId workspace, @Nullable UserId user) {
        Checks.notNull(workspace, "workspace");
        List<Budget> result = new ArrayList<>(2);
        store.find(new Budget.Key(workspace, Budget.Scope.WORKSPACE, null)).ifPresent(result::add);
        if (user != null) {
            Optional<Budget> own = store.find(new Budget.Key(workspace, Budget.Scope.USER, user));
            (own.isPresent() ? own : store.find(new Budget.Key(workspace, Budget.Scope.EACH_USER, null)))
                    .ifPresent(result::add);
        }
        return result;
    }

    /**
     * What {@code budget} has recorded in the ledger for its current period; {@code user} picks the
     * user of an {@link Budget.Scope#EACH_USER each-user} budget and is ignored otherwise.
     */
    public BigDecimal spent(Budget budget, @Nullable UserId user) {
        Instant now = clock.instant();
        SpendQuery query = SpendQuery.forWorkspace(
                budget.workspace(),
                budget.policy().period().start(now),
                budget.policy().period().end(now));
        UserId who = whose(budget, user);
        return ledger.totalCost(who == null ? query : query.withUser(who));
    }

    /**
     * Admits a call estimated to cost {@code estimate} and holds that amount against its budgets
     * until the returned admission is closed, which the caller does after recording the real cost.
     *
     * @return the admission; {@link BudgetAdmission#softLimitReached()} says whether a soft limit is crossed
     * @throws BudgetExceededException when the call would cross a hard limit; nothing is held then
     */
    public BudgetAdmission admit(WorkspaceId workspace, @Nullable UserId user, BigDecimal estimate) {
        Checks.notNull(workspace, "workspace");
        Checks.notNull(estimate, "estimate");
        Checks.check(estimate.signum() >= 0, "estimate must be >= 0, was " + estimate.toPlainString());
        List<Budget> budgets = budgetsFor(workspace, user);
        if (budgets.isEmpty()) {
            return new BudgetAdmission(this, List.of(), estimate, null);
        }
        synchronized (locks.computeIfAbsent(workspace, w -> new Object())) {
            String softScope = null;
            List<Reservation> held = new ArrayList<>(budgets.size());
            for (Budget budget : budgets) {
                Reservation reservation = new Reservation(budget.key(), whose(budget, user));
                BigDecimal spent = spent(budget, user).add(inFlight.getOrDefault(reservation, BigDecimal.ZERO));
                BigDecimal after = spent.add(estimate);
                BudgetPolicy limits = budget.policy();
                if (limits.hardLimit() != null && after.compareTo(limits.hardLimit()) > 0) {
                    throw new BudgetExceededException(describe(budget, user), limits.hardLimit(), spent, estimate);
                }
                if (softScope == null && limits.softLimit() != null && after.compareTo(limits.softLimit()) > 0) {
                    softScope = describe(budget, user);
                }
                held.add(reservation);
            }
            for (Reservation r : held) {
                inFlight.merge(r, estimate, BigDecimal::add);
            }
            return new BudgetAdmission(this, held, estimate, softScope);
        }
    }

    void release(WorkspaceId workspace, List<Reservation> held, BigDecimal estimate) {
        synchronized (locks.computeIfAbsent(workspace, w -> new Object())) {
            for (Reservation r : held) {
                inFlight.computeIfPresent(r, (k, v) -> {
                    BigDecimal left = v.subtract(estimate);
                    return left.signum() <= 0 ? null : left;
                });
            }
        }
    }

    private static @Nullable UserId whose(Budget budget, @Nullable UserId user) {
        return switch (budget.scope()) {
            case WORKSPACE -> null;
            case USER -> budget.user();
            case EACH_USER -> user;
        };
    }

    private static String describe(Budget budget, @Nullable UserId user) {
        String period = budget.policy().period().wireName();
        return switch (budget.scope()) {
            case WORKSPACE -> "workspace %s (%s)".formatted(budget.workspace(), period);
            case USER, EACH_USER ->
                "user %s in workspace %s (%s)".formatted(whose(budget, user), budget.workspace(), period);
        };
    }

    /** An amount held against one budget, for one user of an each-user budget. */
    record Reservation(Budget.Key budget, @Nullable UserId user) {}
}
