package dev.guildhall.core.jobs;

import dev.guildhall.core.Checks;
import dev.guildhall.core.RunId;

/**
 * A worker's claim on one run.
 *
 * @param wakeSeq the entry's wake counter when claimed; a wake during the lease raises it, which
 *     is how {@link JobQueue#complete} knows the run must be driven again
 * @param claims how often the entry has been claimed without being completed, this claim included
 */
public record Lease(RunId run, String worker, long wakeSeq, int claims) {
    public Lease {
        Checks.notNull(run, "run");
        Checks.notBlank(worker, "worker");
    }
}
