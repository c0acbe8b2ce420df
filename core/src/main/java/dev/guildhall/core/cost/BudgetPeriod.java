package dev.guildhall.core.cost;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** The window a budget's spend is counted over; windows are UTC calendar days and months. */
public enum BudgetPeriod {
    DAILY,
    MONTHLY;

    /** The first instant of the window that contains {@code now}. */
    public Instant start(Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate first = this == DAILY ? day : day.with(TemporalAdjusters.firstDayOfMonth());
        return first.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first instant after the window that contains {@code now}. */
    public Instant end(Instant now) {
        LocalDate first = LocalDate.ofInstant(start(now), ZoneOffset.UTC);
        return (this == DAILY ? first.plusDays(1) : first.plusMonths(1))
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code daily|monthly}, case-insensitively. */
    public static BudgetPeriod parse(String value) {
        for (BudgetPeriod p : values()) {
            if (p.name().equalsIgnoreCase(value.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("budget period must be one of daily, monthly, was \"" + value + "\"");
    }
}
