package dev.guildhall.core.jobs;

import dev.guildhall.core.Checks;
import java.time.Duration;

/**
 * How a {@link RunWorker} behaves.
 *
 * @param id the worker's name in leases; unique per process (host and pid make a good one)
 * @param concurrency how many runs it drives at once
 * @param lease how long a claim lasts without a heartbeat; another worker takes the run after it
 * @param heartbeat how often leases are renewed and expired ones reclaimed; well under {@code lease}
 * @param idlePoll how long to wait before asking again when nothing was due
 * @param maxClaims claims without completion after which a run is parked as a dead letter
 * @param shutdownGrace how long {@link RunWorker#close} lets in-flight runs finish before handing them back
 */
public record WorkerOptions(
        String id,
        int concurrency,
        Duration lease,
        Duration heartbeat,
        Duration idlePoll,
        int maxClaims,
        Duration shutdownGrace) {

    public WorkerOptions {
        Checks.notBlank(id, "id");
        Checks.positive(concurrency, "concurrency");
        Checks.notNull(lease, "lease");
        Checks.notNull(heartbeat, "heartbeat");
        if (heartbeat.compareTo(lease) >= 0) {
            throw new IllegalArgumentException(
                    "heartbeat (" + heartbeat + ") must be shorter than the lease (" + lease + ")");
        }
        Checks.notNull(idlePoll, "idlePoll");
        Checks.positive(maxClaims, "maxClaims");
        Checks.notNull(shutdownGrace, "shutdownGrace");
    }

    /** Defaults for production: 16 runs at once, 30 s leases renewed every 10 s, 5 claims. */
    public static WorkerOptions defaults(String id) {
        return new WorkerOptions(
                id,
                16,
                Duration.ofSeconds(30),
                Duration.ofSeconds(10),
                Duration.ofMillis(100),
                5,
                Duration.ofSeconds(10));
    }

    public WorkerOptions withConcurrency(int n) {
        return new WorkerOptions(id, n, lease, heartbeat, idlePoll, maxClaims, shutdownGrace);
    }

    public WorkerOptions withLease(Duration newLease, Duration newHeartbeat) {
        return new WorkerOptions(id, concurrency, newLease, newHeartbeat, idlePoll, maxClaims, shutdownGrace);
    }

    public WorkerOptions withIdlePoll(Duration poll) {
        return new WorkerOptions(id, concurrency, lease, heartbeat, poll, maxClaims, shutdownGrace);
    }

    public WorkerOptions withMaxClaims(int n) {
        return new WorkerOptions(id, concurrency, lease, heartbeat, idlePoll, n, shutdownGrace);
    }

    public WorkerOptions withShutdownGrace(Duration grace) {
        return new WorkerOptions(id, concurrency, lease, heartbeat, idlePoll, maxClaims, grace);
    }
}
