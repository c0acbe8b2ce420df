package dev.guildhall.bus.redis;

import dev.guildhall.core.bus.EventBus;
import dev.guildhall.testkit.bus.EventBusContract;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on Redis: one key prefix for the class, deleted afterwards; each test has its own topics. */
class RedisStreamsEventBusIT extends EventBusContract {
    private static RedisTestServer redis;

    @BeforeAll
    static void connect() {
        redis = RedisTestServer.create(RedisStreamsEventBusIT.class);
    }

    @AfterAll
    static void deleteKeys() {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected EventBus newBus() {
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
