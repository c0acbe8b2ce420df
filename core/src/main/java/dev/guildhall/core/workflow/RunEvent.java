package dev.guildhall.core.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Every change of a run's state, in the order it happened. The durable store writes these to its
 * outbox and the bus publishes them; the CLI prints them.
 */
public sealed interface RunEvent {
    RunRef ref();

    Instant at();

    /** A stable name for the event kind, such as {@code StepSucceeded}. */
    default String type() {
        return getClass().getSimpleName();
    }

    record RunStarted(RunRef ref, Instant at) implements RunEvent {}

    record StepStarted(RunRef ref, Instant at, String step, int attempt) implements RunEvent {}

    /** @param wrote the state keys the step's update wrote */
    record StepSucceeded(RunRef ref, Instant at, String step, int attempt, Duration took, List<String> wrote)
            implements RunEvent {}

    /** A step failed and will be tried again after {@code delay}. */
    record StepRetrying(RunRef ref, Instant at, String step, int attempt, Failure failure, Duration delay)
            implements RunEvent {}

    /** A step failed for the last time. */
    record StepFailed(RunRef ref, Instant at, String step, int attempt, Failure failure) implements RunEvent {}

    record RunSuspended(RunRef ref, Instant at, Map<String, Wait> waits) implements RunEvent {}

    record SignalReceived(RunRef ref, Instant at, String name) implements RunEvent {}

    record RunResumed(RunRef ref, Instant at) implements RunEvent {}

    record RunSucceeded(RunRef ref, Instant at, Duration took) implements RunEvent {}

    record RunFailed(RunRef ref, Instant at, Failure failure) implements RunEvent {}

    record RunCancelled(RunRef ref, Instant at, String reason) implements RunEvent {}

    default boolean isTerminal() {
        return this instanceof RunSucceeded || this instanceof RunFailed || this instanceof RunCancelled;
    }
}
