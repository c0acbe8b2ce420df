package dev.guildhall.bus.redis;

import dev.guildhall.core.Checks;
import dev.guildhall.core.util.Durations;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where the Redis bus is and how it behaves. Every setting has a default; {@link
 * #fromEnvironment(Map)} reads the {@code GUILDHALL_REDIS_*} and {@code GUILDHALL_BUS_*} variables
 * described in {@code docs/CONFIGURATION.md}. Immutable.
 */
public final class RedisBusSettings {
    public static final String DEFAULT_URI = "redis://127.0.0.1:6379";
    public static final String DEFAULT_KEY_PREFIX = "guildhall:events:";
    public static final long DEFAULT_MAX_LENGTH = 100_000;
    public static final int DEFAULT_BATCH_SIZE = 10;
    public static final Duration DEFAULT_BLOCK_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_CLAIM_MIN_IDLE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CLAIM_INTERVAL = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_DELIVERIES = 10;
    public static final Duration DEFAULT_DEDUPE_TTL = Duration.ofHours(24);
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    public static final String ENV_URL = "GUILDHALL_REDIS_URL";
    public static final String ENV_KEY_PREFIX = "GUILDHALL_REDIS_KEY_PREFIX";
    public static final String ENV_MAX_LENGTH = "GUILDHALL_BUS_MAX_LENGTH";
    public static final String ENV_BATCH_SIZE = "GUILDHALL_BUS_BATCH_SIZE";
    public static final String ENV_BLOCK_TIMEOUT = "GUILDHALL_BUS_BLOCK_TIMEOUT";
    public static final String ENV_CLAIM_MIN_IDLE = "GUILDHALL_BUS_CLAIM_MIN_IDLE";
    public static final String ENV_CLAIM_INTERVAL = "GUILDHALL_BUS_CLAIM_INTERVAL";
    public static final String ENV_MAX_DELIVERIES = "GUILDHALL_BUS_MAX_DELIVERIES";
    public static final String ENV_DEDUPE_TTL = "GUILDHALL_BUS_DEDUPE_TTL";
    public static final String ENV_COMMAND_TIMEOUT = "GUILDHALL_REDIS_TIMEOUT";

    private static final Pattern PASSWORD = Pattern.compile("(rediss?://[^:@/]*:)[^@/]*@");

    private final String uri;
    private final String keyPrefix;
    private final long maxLength;
    private final int batchSize;
    private final Duration blockTimeout;
    private final Duration claimMinIdle;
    private final Duration claimInterval;
    private final int maxDeliveries;
    private final Duration dedupeTtl;
    private final Duration commandTimeout;
    private final Duration closeTimeout;

    private RedisBusSettings(Builder b) {
        this.uri = b.uri;
        this.keyPrefix = b.keyPrefix;
        this.maxLength = b.maxLength;
        this.batchSize = b.batchSize;
        this.blockTimeout = b.blockTimeout;
        this.claimMinIdle = b.claimMinIdle;
        this.claimInterval = b.claimInterval;
        this.maxDeliveries = b.maxDeliveries;
        this.dedupeTtl = b.dedupeTtl;
        this.commandTimeout = b.commandTimeout;
        this.closeTimeout = b.closeTimeout;
    }

    public static RedisBusSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Settings from environment variables (pass {@code System.getenv()}); unset or blank ones keep
     * their defaults.
     *
     * @throws IllegalArgumentException naming the variable when a value is not valid
     */
    public static RedisBusSettings fromEnvironment(Map<String, String> env) {
        Checks.notNull(env, "env");
        Builder b = builder();
        read(env, ENV_URL, Function.identity(), b::uri);
        read(env, ENV_KEY_PREFIX, Function.identity(), b::keyPrefix);
        read(env, ENV_MAX_LENGTH, Long::parseLong, b::maxLength);
        read(env, ENV_BATCH_SIZE, Integer::parseInt, b::batchSize);
        read(env, ENV_BLOCK_TIMEOUT, Durations::parse, b::blockTimeout);
        read(env, ENV_CLAIM_MIN_IDLE, Durations::parse, b::claimMinIdle);
        read(env, ENV_CLAIM_INTERVAL, Durations::parse, b::claimInterval);
        read(env, ENV_MAX_DELIVERIES, Integer::parseInt, b::maxDeliveries);
        read(env, ENV_DEDUPE_TTL, Durations::parse, b::dedupeTtl);
        read(env, ENV_COMMAND_TIMEOUT, Durations::parse, b::commandTimeout);
        return b.build();
    }

    private static <T> void read(
            Map<String, String> env, String name, Function<String, T> parse, Function<T, Builder> set) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return;
        }
        try {
            set.apply(parse.apply(value.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    public Builder toBuilder() {
        return new Builder()
                .uri(uri)
                .keyPrefix(keyPrefix)
                .maxLength(maxLength)
                .batchSize(batchSize)
                .blockTimeout(blockTimeout)
                .claimMinIdle(claimMinIdle)
                .claimInterval(claimInterval)
                .maxDeliveries(maxDeliveries)
                .dedupeTtl(dedupeTtl)
                .commandTimeout(commandTimeout)
                .closeTimeout(closeTimeout);
    }

    /** The server, as {@code redis://[[user]:password@]host:port[/database]} or {@code rediss://...}. */
    public String uri() {
        return uri;
    }

    /** The URI with its password replaced by {@code ***}, for logs and messages. */
    public String redactedUri() {
        return PASSWORD.matcher(uri).replaceFirst("$1***@");
    }

    /** Prepended to each topic to name its stream, such as {@code guildhall:events:runs}. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** About how many entries each stream keeps ({@code XADD MAXLEN ~}): Redis trims whole nodes. */
    public long maxLength() {
        return maxLength;
    }

    /** Entries read or claimed per command. */
    public int batchSize() {
        return batchSize;
    }

    /** How long one read waits for new entries; also how long closing a subscription may take. */
    public Duration blockTimeout() {
        return blockTimeout;
    }

    /**
     * How long an entry stays unacknowledged before another consumer claims it ({@code XAUTOCLAIM}):
     * the redelivery delay after a failure, and after a consumer died. Longer than any handler runs.
     */
    public Duration claimMinIdle() {
        return claimMinIdle;
    }

    /** How often each subscription looks for entries to claim. */
    public Duration claimInterval() {
        return claimInterval;
    }

    /** Deliveries of one entry to one group, the first included, before it is dead-lettered. */
    public int maxDeliveries() {
        return maxDeliveries;
    }

    /** How long a group remembers a handled event id, so a republished event is skipped. */
    public Duration dedupeTtl() {
        return dedupeTtl;
    }

    /** How long a command may take before it fails as unavailable; longer than the block timeout. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** How long closing waits for a running handler. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    @Override
    public String toString() {
        return ("RedisBusSettings[uri=%s, keyPrefix=%s, maxLength=%d, batchSize=%d, blockTimeout=%s,"
                        + " claimMinIdle=%s, claimInterval=%s, maxDeliveries=%d, dedupeTtl=%s, commandTimeout=%s]")
                .formatted(
                        redactedUri(),
                        keyPrefix,
                        maxLength,
                        batchSize,
                        blockTimeout,
                        claimMinIdle,
                        claimInterval,
                        maxDeliveries,
                        dedupeTtl,
                        commandTimeout);
    }

    public static final class Builder {
        private String uri = DEFAULT_URI;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private long maxLength = DEFAULT_MAX_LENGTH;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration blockTimeout = DEFAULT_BLOCK_TIMEOUT;
        private Duration claimMinIdle = DEFAULT_CLAIM_MIN_IDLE;
        private Duration claimInterval = DEFAULT_CLAIM_INTERVAL;
        private int maxDeliveries = DEFAULT_MAX_DELIVERIES;
        private Duration dedupeTtl = DEFAULT_DEDUPE_TTL;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

        private Builder() {}

        public Builder uri(String uri) {
            Checks.notBlank(uri, "uri");
            Checks.check(
                    uri.startsWith("redis://") || uri.startsWith("rediss://"),
                    "uri must start with redis:// or rediss://, was "
                            + PASSWORD.matcher(uri).replaceFirst("$1***@"));
            this.uri = uri;
            return this;
        }

        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = Checks.notNull(keyPrefix, "keyPrefix");
            return this;
        }

        public Builder maxLength(long maxLength) {
            if (maxLength <= 0) {
                throw new IllegalArgumentException("maxLength must be > 0, was " + maxLength);
            }
            this.maxLength = maxLength;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = Checks.positive(batchSize, "batchSize");
            return this;
        }

        public Builder blockTimeout(Duration blockTimeout) {
            Checks.positive(blockTimeout, "blockTimeout");
            Checks.check(blockTimeout.toMillis() >= 1, "blockTimeout must be at least 1ms, was " + blockTimeout);
            this.blockTimeout = blockTimeout;
            return this;
        }

        public Builder claimMinIdle(Duration claimMinIdle) {
            Checks.positive(claimMinIdle, "claimMinIdle");
            Checks.check(claimMinIdle.toMillis() >= 1, "claimMinIdle must be at least 1ms, was " + claimMinIdle);
            this.claimMinIdle = claimMinIdle;
            return this;
        }

        public Builder claimInterval(Duration claimInterval) {
            this.claimInterval = Checks.positive(claimInterval, "claimInterval");
            return this;
        }

        public Builder maxDeliveries(int maxDeliveries) {
            this.maxDeliveries = Checks.positive(maxDeliveries, "maxDeliveries");
            return this;
        }

        public Builder dedupeTtl(Duration dedupeTtl) {
            Checks.positive(dedupeTtl, "dedupeTtl");
            Checks.check(dedupeTtl.toMillis() >= 1, "dedupeTtl must be at least 1ms, was " + dedupeTtl);
            this.dedupeTtl = dedupeTtl;
            return this;
        }

        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = Checks.positive(commandTimeout, "commandTimeout");
            return this;
        }

        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = Checks.notNegative(closeTimeout, "closeTimeout");
            return this;
        }

        /** @throws IllegalArgumentException when a blocking read could outlast the command timeout */
        public RedisBusSettings build() {
            Checks.check(
                    commandTimeout.compareTo(blockTimeout) > 0,
                    "commandTimeout must be longer than blockTimeout, was %s <= %s"
                            .formatted(commandTimeout, blockTimeout));
            return new RedisBusSettings(this);
        }
    }
}
