package dev.guildhall.server;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Redis (the event bus and the shared rate-limit buckets) as the health contributor {@code redis},
 * part of readiness when {@code GUILDHALL_REDIS_URL} is set: a node that cannot reach it cannot
 * publish run events, so it should get no traffic. A {@code PING} on a connection of its own.
 */
final class RedisHealth implements HealthIndicator, AutoCloseable {
    private final RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    RedisHealth(String url) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(Duration.ofSeconds(2));
        this.client = RedisClient.create(uri);
    }

    @Override
    public synchronized Health health() {
        try {
            if (connection == null || !connection.isOpen()) {
                connection = client.connect();
            }
            String pong = connection.sync().ping();
            return ("PONG".equals(pong) ? Health.up() : Health.down())
                    .withDetail("ping", pong)
                    .build();
        } catch (RuntimeException e) {
            // The URL may carry a password: name the failure, not the message.
            return Health.down()
                    .withDetail("error", e.getClass().getSimpleName())
                    .build();
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
        }
        client.shutdown();
    }
}
