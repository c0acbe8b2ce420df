package dev.guildhall.core.cost;

import dev.guildhall.core.Checks;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * The limits of a budget for each period, in the price table's currency. Past the soft limit calls
 * are moved one model policy down ({@code premium → standard → cheap}); a call whose estimated cost
 * would cross the hard limit is refused before it is sent.
 *
 * @param softLimit null for no soft limit
 * @param hardLimit null for no hard limit
 */
public record BudgetPolicy(BudgetPeriod period, @Nullable BigDecimal softLimit, @Nullable BigDecimal hardLimit) {
    public BudgetPolicy {
        Checks.notNull(period, "period");
        Checks.check(softLimit != null || hardLimit != null, "a budget needs a soft or a hard limit, had neither");
        Checks.check(softLimit == null || softLimit.signum() >= 0, "softLimit must be >= 0, was " + plain(softLimit));
        Checks.check(hardLimit == null || hardLimit.signum() >= 0, "hardLimit must be >= 0, was " + plain(hardLimit));
        Checks.check(
                softLimit == null || hardLimit == null || softLimit.compareTo(hardLimit) <= 0,
                "softLimit must be <= hardLimit (%s), was %s".formatted(plain(hardLimit), plain(softLimit)));
    }

    public static BudgetPolicy of(BudgetPeriod period, @Nullable String softLimit, @Nullable String hardLimit) {
        return new BudgetPolicy(
                period,
                softLimit == null ? null : new BigDecimal(softLimit),
                hardLimit == null ? null : new BigDecimal(hardLimit));
    }

    private static String plain(@Nullable BigDecimal value) {
        return value == null ? "null" : value.toPlainString();
    }
}
