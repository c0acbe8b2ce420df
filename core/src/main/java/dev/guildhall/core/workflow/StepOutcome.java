package dev.guildhall.core.workflow;

import dev.guildhall.core.Checks;

/** What one execution of a step produced: an update to apply, or a wait to suspend on. */
public sealed interface StepOutcome {

    record Completed(Update update) implements StepOutcome {
        public Completed {
            Checks.notNull(update, "update");
        }
    }

    record Suspended(Wait until) implements StepOutcome {
        public Suspended {
            Checks.notNull(until, "until");
        }
    }

    static StepOutcome completed(Update update) {
        return new Completed(update);
    }

    static <T> StepOutcome completed(StateKey<T> key, T value) {
        return new Completed(Update.of(key, value));
    }

    static StepOutcome nothing() {
        return new Completed(Update.none());
    }
}
