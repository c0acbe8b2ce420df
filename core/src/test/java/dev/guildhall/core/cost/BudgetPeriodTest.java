package dev.guildhall.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BudgetPeriodTest {
    private static final Instant NOW = Instant.parse("2026-03-17T15:42:00Z");

    @Test
    void daily_is_the_utc_calendar_day() {
        assertThat(BudgetPeriod.DAILY.start(NOW)).isEqualTo("2026-03-17T00:00:00Z");
        assertThat(BudgetPeriod.DAILY.end(NOW)).isEqualTo("2026-03-18T00:00:00Z");
    }

    @Test
    void monthly_is_the_utc_calendar_month() {
        assertThat(BudgetPeriod.MONTHLY.start(NOW)).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(BudgetPeriod.MONTHLY.end(NOW)).isEqualTo("2026-04-01T00:00:00Z");
        assertThat(BudgetPeriod.MONTHLY.end(Instant.parse("2026-12-31T23:59:59Z")))
                .isEqualTo("2027-01-01T00:00:00Z");
    }

    @Test
    void parses_configuration_names() {
        assertThat(BudgetPeriod.parse(" Monthly ")).isEqualTo(BudgetPeriod.MONTHLY);
        assertThatThrownBy(() -> BudgetPeriod.parse("weekly"))
                .hasMessage("budget period must be one of daily, monthly, was \"weekly\"");
    }
}
