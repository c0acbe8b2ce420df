package dev.guildhall.core.audit;

import dev.guildhall.core.Checks;
import dev.guildhall.core.WorkspaceId;
import java.time.Instant;

/**
 * One write, as the audit log keeps it: who did what to which thing, when and from where.
 *
 * @param actor the user or API key that acted, or {@code system}
 * @param action what was done, such as {@code run.cancel} or {@code key.create}
 * @param target what it was done to, such as a run id
 * @param detail anything else worth keeping, as text (often JSON)
 * @param source where the request came from (an IP address, {@code cli}, a worker id)
 */
public record AuditEntry(
        WorkspaceId workspace, String actor, String action, String target, String detail, String source, Instant at) {
    public AuditEntry {
        Checks.notNull(workspace, "workspace");
        Checks.notBlank(actor, "actor");
        Checks.notBlank(action, "action");
        target = target == null ? "" : target;
        detail = detail == null ? "" : detail;
        source = source == null ? "" : source;
        Checks.notNull(at, "at");
    }
}
