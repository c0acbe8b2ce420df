package dev.guildhall.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

    @Test
    void defaults_compact_after_a_week_and_delete_after_ninety_days() {
        assertThat(RetentionPolicy.defaults().compaction()).contains(Duration.ofDays(7));
        assertThat(RetentionPolicy.defaults().deletion()).contains(Duration.ofDays(90));
        assertThat(RetentionPolicy.defaults()).hasToString("compact after 7d, delete after 90d");
    }

    @Test
    void never_is_null_and_keep_forever_has_neither_age() {
        assertThat(RetentionPolicy.keepForever().compaction()).isEmpty();
        assertThat(RetentionPolicy.keepForever().deletion()).isEmpty();
        assertThat(RetentionPolicy.keepForever()).hasToString("compact after never, delete after never");
        assertThat(new RetentionPolicy(Duration.ofHours(12), null))
                .hasToString("compact after 12h, delete after never");
    }

    @Test
    void deleting_before_compacting_or_a_negative_age_is_rejected() {
        assertThatThrownBy(() -> new RetentionPolicy(Duration.ofDays(30), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deleteAfter must be >= compactAfter, was PT24H < PT720H");
        assertThatThrownBy(() -> new RetentionPolicy(Duration.ofDays(-1), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("compactAfter must be");
    }

    @Test
    void a_report_adds_up_field_by_field() {
        RetentionReport a = new RetentionReport(1, 2, 3, 4, 5, 6);
        assertThat(a.plus(a)).isEqualTo(new RetentionReport(2, 4, 6, 8, 10, 12));
        assertThat(a.plus(RetentionReport.NOTHING)).isEqualTo(a);
    }
}
