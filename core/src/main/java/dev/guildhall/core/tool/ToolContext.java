package dev.guildhall.core.tool;

import dev.guildhall.core.Checks;
import dev.guildhall.core.RunId;
import dev.guildhall.core.WorkspaceId;

/**
 * The run a tool call belongs to.
 *
 * @param idempotencyKey stable across retries of the same step attempt's effect: {@code run:step:attempt}
 *     for effects that may repeat per attempt, or {@code run:step} for effects that must happen once per step
 */
public record ToolContext(WorkspaceId workspace, RunId run, String idempotencyKey) {
    public ToolContext {
        Checks.notNull(workspace, "workspace");
        Checks.notNull(run, "run");
        Checks.notBlank(idempotencyKey, "idempotencyKey");
    }
}
