package dev.guildhall.core.workspace;

import dev.guildhall.core.Checks;
import dev.guildhall.core.WorkspaceId;
import java.time.Instant;

/** A tenant: every run, document, key and budget belongs to exactly one workspace. */
public record Workspace(WorkspaceId id, String name, Instant createdAt) {
    public Workspace {
        Checks.notNull(id, "id");
        Checks.notBlank(name, "name");
        Checks.notNull(createdAt, "createdAt");
    }
}
