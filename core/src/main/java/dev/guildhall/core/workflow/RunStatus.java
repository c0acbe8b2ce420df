package dev.guildhall.core.workflow;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Where a run is in its life. {@link #canMoveTo} is the one transition table. */
public enum RunStatus {
    PENDING,
    RUNNING,
    SUSPENDED,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    private static final Map<RunStatus, Set<RunStatus>> ALLOWED = Map.of(
            PENDING, EnumSet.of(RUNNING, CANCELLED),
            RUNNING, EnumSet.of(RUNNING, SUSPENDED, SUCCEEDED, FAILED, CANCELLED),
            SUSPENDED, EnumSet.of(RUNNING, CANCELLED, FAILED),
            SUCCEEDED, EnumSet.noneOf(RunStatus.class),
            FAILED, EnumSet.noneOf(RunStatus.class),
            CANCELLED, EnumSet.noneOf(RunStatus.class));

    public boolean canMoveTo(RunStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    public boolean isTerminal() {
        return ALLOWED.get(this).isEmpty();
    }
}
