package dev.guildhall.core.workflow;

import dev.guildhall.core.Checks;
import dev.guildhall.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How the engine runs one node: its timeout per attempt, its retry policy, how often a loop may
 * visit it, and whether it waits for parallel siblings (a join). Immutable.
 */
public final class StepOptions {
    public static final int DEFAULT_MAX_VISITS = 100;
    public static final StepOptions DEFAULTS = builder().build();

    private final @Nullable Duration timeout;
    private final RetryPolicy retry;
    private final int maxVisits;
    private final boolean join;

    private StepOptions(Builder b) {
        this.timeout = b.timeout;
        this.retry = b.retry;
        this.maxVisits = b.maxVisits;
        this.join = b.join;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().retry(retry).maxVisits(maxVisits).join(join);
        b.timeout = timeout;
        return b;
    }

    /**
     * The longest one attempt may take; empty for no limit. At the deadline the attempt's thread is
     * interrupted, ending blocking calls, and the attempt fails with {@link StepTimeoutException}.
     */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** Defaults to {@link RetryPolicy#NONE} for function steps; agent steps take their agent's policy. */
    public RetryPolicy retry() {
        return retry;
    }

    /** How many times a loop may enter this node before the run fails; bounds every loop. */
    public int maxVisits() {
        return maxVisits;
    }

    /**
     * Whether this node waits until no other node is pending before it runs, so that parallel
     * branches of different lengths all finish before it joins them.
     */
    public boolean join() {
        return join;
    }

    public static final class Builder {
        private @Nullable Duration timeout;
        private RetryPolicy retry = RetryPolicy.NONE;
        private int maxVisits = DEFAULT_MAX_VISITS;
        private boolean join;

        private Builder() {}

        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive(timeout, "timeout");
            return this;
        }

        public Builder retry(RetryPolicy retry) {
            this.retry = Checks.notNull(retry, "retry");
            return this;
        }

        public Builder maxVisits(int maxVisits) {
            this.maxVisits = Checks.positive(maxVisits, "maxVisits");
            return this;
        }

        public Builder join(boolean join) {
            this.join = join;
            return this;
        }

        public StepOptions build() {
            return new StepOptions(this);
        }
    }
}
