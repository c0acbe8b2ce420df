package dev.guildhall.bus.redis;

import dev.guildhall.core.bus.EventBus;
import dev.guildhall.testkit.bus.EventBusContract;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

/** The contract on Redis: one key prefix for the class, deleted afterwards; each test has its own topics. */
class RedisStreamsEventBusIT extends EventBusContract {
    private static RedisTestServer redis;

    @AfterAll
    static void deleteKeys() {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected EventBus newBus() {
        // Checked per test, so that without Redis each test is reported skipped with the reason.
        if (redis == null) {
            redis = RedisTestServer.create(RedisStreamsEventBusIT.class);
        }
        return RedisStreamsEventBus.connect(
                redis.settings()
                        .maxLength(MAX_LENGTH)
                        .maxDeliveries(MAX_DELIVERIES)
                        .build(),
                Clock.systemUTC());
    }

    @Override
    protected long length(EventBus bus, String topic) {
        return redis.redis().xlen(((RedisStreamsEventBus) bus).streamKey(topic));
    }
}
