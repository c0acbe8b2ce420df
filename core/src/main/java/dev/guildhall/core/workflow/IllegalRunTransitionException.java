package dev.guildhall.core.workflow;

import dev.guildhall.core.NonRetryableException;
import dev.guildhall.core.RunId;

/** Someone tried to move a run between two statuses the transition table does not connect. */
public class IllegalRunTransitionException extends NonRetryableException {
    private final RunId run;
    private final RunStatus from;
    private final RunStatus to;

    public IllegalRunTransitionException(RunId run, RunStatus from, RunStatus to) {
        super("Run %s cannot move from %s to %s".formatted(run, from, to));
        this.run = run;
        this.from = from;
        this.to = to;
    }

    public RunId run() {
        return run;
    }

    public RunStatus from() {
        return from;
    }

    public RunStatus to() {
        return to;
    }
}
