package dev.guildhall.store.jdbc;

import dev.guildhall.core.Checks;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How long a finished run's storage is kept: {@code compactAfter} its last change its checkpoints
 * are reduced to the final one, and {@code deleteAfter} it the run goes altogether. Either may be
 * null, meaning never. A run still in the job queue (a dead letter waiting for its operator) is kept
 * whatever the policy says.
 *
 * @param compactAfter how long after it finished a run is compacted; null keeps every checkpoint
 * @param deleteAfter how long after it finished a run is deleted; null keeps it
 */
public record RetentionPolicy(@Nullable Duration compactAfter, @Nullable Duration deleteAfter) {
    /** Compact after 7 days. */
    public static final Duration DEFAULT_COMPACT_AFTER = Duration.ofDays(7);
    /** Delete after 90 days. */
    public static final Duration DEFAULT_DELETE_AFTER = Duration.ofDays(90);

    public RetentionPolicy {
        if (compactAfter != null) {
            Checks.notNegative(compactAfter, "compactAfter");
        }
        if (deleteAfter != null) {
            Checks.notNegative(deleteAfter, "deleteAfter");
        }
        if (compactAfter != null && deleteAfter != null && deleteAfter.compareTo(compactAfter) < 0) {
            throw new IllegalArgumentException(
                    "deleteAfter must be >= compactAfter, was " + deleteAfter + " < " + compactAfter);
        }
    }

    /** Compact after {@link #DEFAULT_COMPACT_AFTER}, delete after {@link #DEFAULT_DELETE_AFTER}. */
    public static RetentionPolicy defaults() {
        return new RetentionPolicy(DEFAULT_COMPACT_AFTER, DEFAULT_DELETE_AFTER);
    }

    /** Keeps everything: no compaction, no deletion. */
    public static RetentionPolicy keepForever() {
        return new RetentionPolicy(null, null);
    }

    public Optional<Duration> compaction() {
        return Optional.ofNullable(compactAfter);
    }

    public Optional<Duration> deletion() {
        return Optional.ofNullable(deleteAfter);
    }

    @Override
    public String toString() {
        return "compact after " + human(compactAfter) + ", delete after " + human(deleteAfter);
    }

    private static String human(@Nullable Duration d) {
        if (d == null) {
            return "never";
        }
        if (d.isZero()) {
            return "0s";
        }
        if (d.toDaysPart() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + "d";
        }
        if (d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + "h";
        }
        if (d.equals(Duration.ofMinutes(d.toMinutes()))) {
            return d.toMinutes() + "m";
        }
        return d.toString();
    }
}
