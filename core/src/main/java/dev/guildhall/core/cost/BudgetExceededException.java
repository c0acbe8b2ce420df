package dev.guildhall.core.cost;

import dev.guildhall.core.NonRetryableException;
import java.math.BigDecimal;

/**
 * A model call was refused before it was sent because its estimated cost would cross a hard
 * budget limit. Nothing was spent. Raise the budget or wait for the next period.
 */
public class BudgetExceededException extends NonRetryableException {
    private final String scope;
    private final BigDecimal limit;
    private final BigDecimal spent;
    private final BigDecimal estimate;

    public BudgetExceededException(String scope, BigDecimal limit, BigDecimal spent, BigDecimal estimate) {
        super("Budget of %s exceeded: hard limit %s, spent %s, this call would add about %s"
                .formatted(scope, limit.toPlainString(), spent.toPlainString(), estimate.toPlainString()));
        this.scope = scope;
        this.limit = limit;
        this.spent = spent;
        this.estimate = estimate;
    }

    public String scope() {
        return scope;
    }

    public BigDecimal limit() {
        return limit;
    }

    public BigDecimal spent() {
        return spent;
    }

    public BigDecimal estimate() {
        return estimate;
    }
}
