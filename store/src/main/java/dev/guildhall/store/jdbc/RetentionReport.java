package dev.guildhall.store.jdbc;

/**
 * What one pass of {@link JdbcRetention} did.
 *
 * @param runsCompacted finished runs reduced to their final checkpoint
 * @param runsDeleted finished runs deleted with everything they stored
 * @param checkpointsRemoved checkpoint rows deleted, by compaction or deletion
 * @param payloadsRemoved payload rows deleted, by compaction or deletion
 * @param signalsRemoved unconsumed signals of deleted runs
 * @param bytesFreed an estimate: the characters of the removed checkpoints' text columns plus the
 *     removed payloads' sizes (what {@link JdbcRunCatalog} counts), not what the database gives back to the disk
 */
public record RetentionReport(
        long runsCompacted,
        long runsDeleted,
        long checkpointsRemoved,
        long payloadsRemoved,
        long signalsRemoved,
        long bytesFreed) {

    public static final RetentionReport NOTHING = new RetentionReport(0, 0, 0, 0, 0, 0);

    public RetentionReport plus(RetentionReport o) {
        return new RetentionReport(
                runsCompacted + o.runsCompacted,
                runsDeleted + o.runsDeleted,
                checkpointsRemoved + o.checkpointsRemoved,
                payloadsRemoved + o.payloadsRemoved,
                signalsRemoved + o.signalsRemoved,
                bytesFreed + o.bytesFreed);
    }

    @Override
    public String toString() {
        return "runs compacted=%d deleted=%d, checkpoints removed=%d, payloads removed=%d, signals removed=%d,"
                        .formatted(runsCompacted, runsDeleted, checkpointsRemoved, payloadsRemoved, signalsRemoved)
                + " bytes freed~" + bytesFreed;
    }
}
