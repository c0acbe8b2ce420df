package dev.guildhall.core.jobs;

import dev.guildhall.core.Checks;
import dev.guildhall.core.RunId;
import java.time.Instant;

/** A run parked for an operator to inspect, retry or discard. */
public record DeadLetter(RunId run, String reason, int claims, Instant at) {
    public DeadLetter {
        Checks.notNull(run, "run");
        reason = reason == null ? "" : reason;
        Checks.notNull(at, "at");
    }
}
