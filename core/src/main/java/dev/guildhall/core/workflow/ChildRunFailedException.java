package dev.guildhall.core.workflow;

import dev.guildhall.core.NonRetryableException;
import dev.guildhall.core.RunId;

/** A sub-workflow ended without success; its failure travels in the message. */
public class ChildRunFailedException extends NonRetryableException {
    private final RunId child;

    public ChildRunFailedException(RunId child, String status, String detail) {
        super("Child run %s ended %s: %s".formatted(child, status, detail));
        this.child = child;
    }

    public RunId child() {
        return child;
    }
}
