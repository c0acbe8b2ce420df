package dev.guildhall.bus.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guildhall.core.RetryableException;
import dev.guildhall.core.bus.EventBusUnavailableException;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Redis that cannot be reached gives a retryable exception that says where it looked. */
class RedisStreamsEventBusUnavailableTest {
    @Test
    void connecting_to_a_redis_that_is_not_there_is_retryable() {
        // Port 1 on the loopback address: nothing listens there, so the connection is refused at once.
        RedisBusSettings settings = RedisBusSettings.builder()
                .uri("redis://:pw@127.0.0.1:1")
                .commandTimeout(Duration.ofSeconds(2))
                .build();

        assertThatThrownBy(() -> RedisStreamsEventBus.connect(settings, Clock.systemUTC()))
                .isInstanceOf(EventBusUnavailableException.class)
                .isInstanceOf(RetryableException.class)
                .hasMessageStartingWith("Event bus operation 'connect' failed:")
                .hasMessageContaining("redis://:***@127.0.0.1:1")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pw@"))
                .satisfies(e -> assertThat(((EventBusUnavailableException) e).operation())
                        .isEqualTo("connect"));
    }
}
