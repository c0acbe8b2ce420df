package dev.guildhall.core.workflow;

import java.util.function.Function;

/**
 * One node's work: read the state through the context, return what to write. A step may be run
 * more than once (a retry, or a resume after a crash or a wait), so side effects go through
 * {@link StepContext#memo} or a tool that honours the idempotency key.
 */
@FunctionalInterface
public interface Step {
    StepOutcome execute(StepContext context) throws Exception;

    /** A step computed from the state alone. */
    static Step of(Function<State, Update> function) {
        return ctx -> StepOutcome.completed(function.apply(ctx.state()));
    }
}
