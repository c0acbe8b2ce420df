package dev.guildhall.bus.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisBusSettingsTest {
    @Test
    void has_defaults_for_everything() {
        RedisBusSettings s = RedisBusSettings.defaults();

        assertThat(s.uri()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(s.keyPrefix()).isEqualTo("guildhall:events:");
        assertThat(s.maxLength()).isEqualTo(100_000);
        assertThat(s.claimMinIdle()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.maxDeliveries()).isEqualTo(10);
        assertThat(s.dedupeTtl()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void reads_the_environment() {
        RedisBusSettings s = RedisBusSettings.fromEnvironment(Map.of(
                "GUILDHALL_REDIS_URL", "redis://redis.internal:6380/2",
                "GUILDHALL_REDIS_KEY_PREFIX", "acme:events:",
                "GUILDHALL_BUS_MAX_LENGTH", "5000",
                "GUILDHALL_BUS_BATCH_SIZE", "50",
                "GUILDHALL_BUS_BLOCK_TIMEOUT", "2s",
                "GUILDHALL_BUS_CLAIM_MIN_IDLE", "1m",
                "GUILDHALL_BUS_CLAIM_INTERVAL", "10s",
                "GUILDHALL_BUS_MAX_DELIVERIES", "4",
                "GUILDHALL_BUS_DEDUPE_TTL", "2h",
                "GUILDHALL_REDIS_TIMEOUT", "PT10S"));

        assertThat(s.uri()).isEqualTo("redis://redis.internal:6380/2");
        assertThat(s.keyPrefix()).isEqualTo("acme:events:");
        assertThat(s.maxLength()).isEqualTo(5000);
        assertThat(s.batchSize()).isEqualTo(50);
        assertThat(s.blockTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.claimMinIdle()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.claimInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.maxDeliveries()).isEqualTo(4);
        assertThat(s.dedupeTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(s.commandTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void names_the_variable_whose_value_is_not_valid() {
        assertThatThrownBy(() -> RedisBusSettings.fromEnvironment(Map.of("GUILDHALL_BUS_MAX_DELIVERIES", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GUILDHALL_BUS_MAX_DELIVERIES: maxDeliveries must be > 0, was 0");
        assertThatThrownBy(() -> RedisBusSettings.fromEnvironment(Map.of("GUILDHALL_BUS_CLAIM_MIN_IDLE", "soon")))
                .hasMessageStartingWith("GUILDHALL_BUS_CLAIM_MIN_IDLE: duration must look like");
        assertThatThrownBy(() -> RedisBusSettings.fromEnvironment(Map.of("GUILDHALL_REDIS_URL", "localhost:6379")))
                .hasMessageStartingWith("GUILDHALL_REDIS_URL: uri must start with redis:// or rediss://");
    }

    @Test
    void refuses_a_block_timeout_the_command_timeout_would_cut_short() {
        assertThatThrownBy(() -> RedisBusSettings.builder()
                        .blockTimeout(Duration.ofSeconds(5))
                        .commandTimeout(Duration.ofSeconds(5))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("commandTimeout must be longer than blockTimeout, was PT5S <= PT5S");
    }

    @Test
    void keeps_the_password_out_of_its_text() {
        RedisBusSettings s =
                RedisBusSettings.builder().uri("redis://app:s3cret@redis:6379").build();

        assertThat(s.redactedUri()).isEqualTo("redis://app:***@redis:6379");
        assertThat(s.toString()).doesNotContain("s3cret");
        assertThat(s.toBuilder().build().uri()).isEqualTo("redis://app:s3cret@redis:6379");
    }
}
