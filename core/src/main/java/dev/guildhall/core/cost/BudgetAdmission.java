package dev.guildhall.core.cost;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A call's permission to spend about {@link #estimate()}, held against its budgets until {@link
 * #close()}. Close it once the real cost is in the ledger (or the call failed); closing twice is harmless.
 */
public final class BudgetAdmission implements AutoCloseable {
    private final BudgetService service;
    private final List<BudgetService.Reservation> held;
    private final BigDecimal estimate;
    private final @Nullable String softLimitScope;
    private final AtomicBoolean closed = new AtomicBoolean();

    BudgetAdmission(
            BudgetService service,
            List<BudgetService.Reservation> held,
            BigDecimal estimate,
            @Nullable String softLimitScope) {
        this.service = service;
        this.held = List.copyOf(held);
        this.estimate = estimate;
        this.softLimitScope = softLimitScope;
    }

    /** Whether the call crosses a soft limit, so that it should move to a cheaper model policy. */
    public boolean softLimitReached() {
        return softLimitScope != null;
    }

    /** The budget whose soft limit the call crosses, e.g. {@code workspace acme (monthly)}. */
    public Optional<String> softLimitScope() {
        return Optional.ofNullable(softLimitScope);
    }

    public BigDecimal estimate() {
        return estimate;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && !held.isEmpty()) {
            service.release(held.get(0).budget().workspace(), held, estimate);
        }
    }
}
