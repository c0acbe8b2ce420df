package dev.guildhall.server.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The token buckets of the rate limit, one per caller key ({@code user:<id>}, {@code key:<id>},
 * {@code ip:<address>}): {@code perMinute} requests a minute, refilled continuously. {@link #local}
 * keeps them in this process; {@link #redis} keeps them in Redis (bucket4j's compare-and-swap proxy
 * over Lettuce), so every node behind a load balancer draws from the same bucket.
 */
public abstract sealed class RateLimitBuckets implements AutoCloseable {
    private final long perMinute;

    private RateLimitBuckets(long perMinute) {
        this.perMinute = perMinute;
    }

    public long perMinute() {
        return perMinute;
    }

    /** Takes one token from the caller's bucket. */
    public abstract ConsumptionProbe tryConsume(String key);

    @Override
    public void close() {}

    BucketConfiguration configuration() {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(perMinute)
                        .refillGreedy(perMinute, Duration.ofMinutes(1))
                        .build())
                .build();
    }

    public static RateLimitBuckets local(long perMinute) {
        return new Local(perMinute);
    }

    /** Buckets in Redis at {@code url}, under keys {@code guildhall:ratelimit:<caller>}. */
    public static RateLimitBuckets redis(long perMinute, String url) {
        return new Redis(perMinute, url);
    }

    private static final class Local extends RateLimitBuckets {
        // Idle buckets are dropped after an hour: a full bucket and a missing one answer the same.
        private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
                .expireAfterAccess(Duration.ofHours(1))
                .maximumSize(100_000)
                .build();

        Local(long perMinute) {
            super(perMinute);
        }

        @Override
        public ConsumptionProbe tryConsume(String key) {
            return buckets.get(key, k -> Bucket.builder()
                            .addLimit(configuration().getBandwidths()[0])
                            .build())
                    .tryConsumeAndReturnRemaining(1);
        }
    }

    private static final class Redis extends RateLimitBuckets {
        private static final String PREFIX = "guildhall:ratelimit:";
        private final RedisClient client;
        private final StatefulRedisConnection<byte[], byte[]> connection;
        private final ProxyManager<byte[]> proxies;
        private final BucketConfiguration configuration;

        Redis(long perMinute, String url) {
            super(perMinute);
            this.client = RedisClient.create(url);
            this.connection = client.connect(ByteArrayCodec.INSTANCE);
            // A bucket's key expires once it would be full again, so idle callers leave nothing behind.
            this.proxies = Bucket4jLettuce.casBasedBuilder(connection)
                    .expirationAfterWrite(
                            ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                    .build();
            this.configuration = configuration();
        }

        @Override
        public ConsumptionProbe tryConsume(String key) {
            byte[] redisKey = (PREFIX + key).getBytes(StandardCharsets.UTF_8);
            return proxies.getProxy(redisKey, () -> configuration).tryConsumeAndReturnRemaining(1);
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }
}
