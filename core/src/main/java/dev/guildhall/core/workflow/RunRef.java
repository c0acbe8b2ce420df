package dev.guildhall.core.workflow;

import dev.guildhall.core.Checks;
import dev.guildhall.core.RunId;
import dev.guildhall.core.WorkspaceId;

/** Which run an event is about: its id, workflow and workspace. */
public record RunRef(RunId run, String workflow, WorkspaceId workspace) {
    public RunRef {
        Checks.notNull(run, "run");
        Checks.notBlank(workflow, "workflow");
        Checks.notNull(workspace, "workspace");
    }
}
