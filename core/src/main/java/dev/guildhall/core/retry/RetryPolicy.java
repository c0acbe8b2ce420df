package dev.guildhall.core.retry;

import dev.guildhall.core.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * How often and how patiently to try again. Delays grow exponentially from {@link
 * #initialInterval()} by {@link #backoffCoefficient()}, are capped at {@link #maximumInterval()}, and
 * are spread by {@link #jitter()} so that many failing callers do not retry in lock-step.
 *
 * <p>Immutable and thread-safe. Build one with {@link #builder()}.
 */
public final class RetryPolicy {
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_INITIAL_INTERVAL = Duration.ofMillis(200);
    public static final double DEFAULT_BACKOFF_COEFFICIENT = 2.0;
    public static final Duration DEFAULT_MAXIMUM_INTERVAL = Duration.ofSeconds(30);
    public static final double DEFAULT_JITTER = 0.2;

    /** Try once, never again. */
    public static final RetryPolicy NONE = builder().maxAttempts(1).build();

    private final int maxAttempts;
    private final Duration initialInterval;
    private final double backoffCoefficient;
    private final Duration maximumInterval;
    private final double jitter;
    private final Set<String> doNotRetry;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialInterval = b.initialInterval;
        this.backoffCoefficient = b.backoffCoefficient;
        this.maximumInterval = b.maximumInterval;
        this.jitter = b.jitter;
        this.doNotRetry = Set.copyOf(b.doNotRetry);
    }

    public static RetryPolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .maxAttempts(maxAttempts)
                .initialInterval(initialInterval)
                .backoffCoefficient(backoffCoefficient)
                .maximumInterval(maximumInterval)
                .jitter(jitter)
                .doNotRetry(doNotRetry);
    }

    /** Total attempts including the first; 1 means no retry. */
    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialInterval() {
        return initialInterval;
    }

    public double backoffCoefficient() {
        return backoffCoefficient;
    }

    public Duration maximumInterval() {
        return maximumInterval;
    }

    public double jitter() {
        return jitter;
    }

    /** Failure types (see {@code GuildhallException.type()}) that are never retried. */
    public Set<String> doNotRetry() {
        return doNotRetry;
    }

    /** Whether a failure of {@code type} on attempt {@code attempt} (1-based) may be tried again. */
    public boolean allowsRetry(int attempt, String type, boolean nonRetryable) {
        return !nonRetryable && attempt < maxAttempts && !doNotRetry.contains(type);
    }

    /**
     * The pause before attempt {@code attempt} (2-based: the first retry is attempt 2). A pure
     * function of its arguments: the same seed gives the same delay.
     */
    public Duration delayBefore(int attempt, Random random) {
        Checks.check(attempt >= 2, "attempt must be >= 2, was " + attempt);
        double base = initialInterval.toNanos() * Math.pow(backoffCoefficient, attempt - 2);
        double capped = Math.min(base, maximumInterval.toNanos());
        double spread = jitter == 0 ? 1.0 : 1.0 - jitter + random.nextDouble() * 2 * jitter;
        long nanos = (long) Math.min(capped * spread, maximumInterval.toNanos());
        return Duration.ofNanos(Math.max(0, nanos));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryPolicy p
                && maxAttempts == p.maxAttempts
                && initialInterval.equals(p.initialInterval)
                && backoffCoefficient == p.backoffCoefficient
                && maximumInterval.equals(p.maximumInterval)
                && jitter == p.jitter
                && doNotRetry.equals(p.doNotRetry);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxAttempts, initialInterval, backoffCoefficient, maximumInterval, jitter, doNotRetry);
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=%d, initial=%s, coefficient=%s, max=%s, jitter=%s]"
                .formatted(maxAttempts, initialInterval, backoffCoefficient, maximumInterval, jitter);
    }

    public static final class Builder {
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialInterval = DEFAULT_INITIAL_INTERVAL;
        private double backoffCoefficient = DEFAULT_BACKOFF_COEFFICIENT;
        private Duration maximumInterval = DEFAULT_MAXIMUM_INTERVAL;
        private double jitter = DEFAULT_JITTER;
        private Set<String> doNotRetry = Set.of();

        private Builder() {}

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = Checks.positive(maxAttempts, "maxAttempts");
            return this;
        }

        public Builder initialInterval(Duration initialInterval) {
            this.initialInterval = Checks.notNegative(initialInterval, "initialInterval");
            return this;
        }

        public Builder backoffCoefficient(double backoffCoefficient) {
            if (!(backoffCoefficient >= 1.0)) {
                throw new IllegalArgumentException("backoffCoefficient must be >= 1, was " + backoffCoefficient);
            }
            this.backoffCoefficient = backoffCoefficient;
            return this;
        }

        public Builder maximumInterval(Duration maximumInterval) {
            this.maximumInterval = Checks.notNegative(maximumInterval, "maximumInterval");
            return this;
        }

        public Builder jitter(double jitter) {
            this.jitter = Checks.between(jitter, 0.0, 1.0, "jitter");
            return this;
        }

        public Builder doNotRetry(Set<String> types) {
            this.doNotRetry = Set.copyOf(types);
            return this;
        }

        public RetryPolicy build() {
            if (maximumInterval.compareTo(initialInterval) < 0) {
                throw new IllegalArgumentException("maximumInterval must be >= initialInterval (%s), was %s"
                        .formatted(initialInterval, maximumInterval));
            }
            return new RetryPolicy(this);
        }
    }
}
