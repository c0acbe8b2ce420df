package dev.guildhall.core.jobs;

import dev.guildhall.core.RunId;
import dev.guildhall.core.workflow.RunQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The durable queue of runs to drive: at most one entry per run, leased to one worker at a time.
 * The same contract tests run against every implementation. Thread-safe, and safe to share
 * between processes when the implementation is backed by a shared database.
 */
public interface JobQueue extends RunQueue {

    /** Leases up to {@code max} due entries to {@code worker} until now + {@code lease}, oldest due first. */
    List<Lease> claim(String worker, int max, Duration lease);

    /**
     * Extends {@code worker}'s leases on {@code runs} to now + {@code lease}; returns how many of
     * them it still holds. Only runs being driven are named, so a lease a worker gave up on expires.
     */
    int heartbeat(String worker, Collection<RunId> runs, Duration lease);

    /**
     * The worker is done with the run for now. The entry is removed, or kept due at {@code nextWake}
     * when that is set; when the run was scheduled again during the lease, it is due at once.
     * A no-op when the worker no longer holds the lease.
     */
    void complete(Lease lease, @Nullable Instant nextWake);

    /** Hands the run back unfinished, due now, for any worker (a shutdown). */
    void release(Lease lease);

    /** Parks the run as a dead letter with the reason; no worker takes it until it is retried. */
    void deadLetter(Lease lease, String reason);

    /**
     * Returns entries whose lease expired (their worker died or hung) to the queue, due now, or
     * parks them as dead letters when they were claimed {@code maxClaims} times without completing
     * (a run that kills its worker every time). Any worker may call this; returns how many it moved.
     */
    int reclaimExpired(int maxClaims);

    /** Dead letters, oldest first. */
    List<DeadLetter> deadLetters(int limit);

    /** Makes a dead-lettered run due now; false when the run is not a dead letter. */
    boolean retry(RunId run);

    /** Removes a dead letter's entry; false when the run is not a dead letter. */
    boolean discard(RunId run);

    QueueStats stats();
}
