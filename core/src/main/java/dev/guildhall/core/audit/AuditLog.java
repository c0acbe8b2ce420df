package dev.guildhall.core.audit;

import dev.guildhall.core.WorkspaceId;
import java.time.Instant;
import java.util.List;

/** An append-only log of writes, read per workspace. Implementations are thread-safe. */
public interface AuditLog {

    void append(AuditEntry entry);

    /** The workspace's entries from {@code from} (inclusive) to {@code to} (exclusive), newest first. */
    List<AuditEntry> find(WorkspaceId workspace, Instant from, Instant to, int limit);
}
