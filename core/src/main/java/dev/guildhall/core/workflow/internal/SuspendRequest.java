package dev.guildhall.core.workflow.internal;

import dev.guildhall.core.workflow.Wait;

/** Thrown by a step context to suspend the run; control flow, so it carries no stack trace. */
public final class SuspendRequest extends RuntimeException {
    private final transient Wait wait;

    public SuspendRequest(Wait wait) {
        super("suspend: " + wait, null, false, false);
        this.wait = wait;
    }

    public Wait waitFor() {
        return wait;
    }
}
