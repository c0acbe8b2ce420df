package dev.guildhall.core.workflow;

import dev.guildhall.core.Checks;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Why a suspended step is waiting: for a named signal (with an optional deadline) or for a time. */
public sealed interface Wait {

    /** When the wait ends by itself, or null for never. */
    @Nullable
    Instant deadline();

    /** Waiting for an external event such as an approval or a reply. */
    record Signal(String name, @Nullable Instant deadline) implements Wait {
        public Signal {
            Checks.notBlank(name, "name");
        }
    }

    /** Waiting until a point in time. */
    record Timer(Instant deadline) implements Wait {
        public Timer {
            Checks.notNull(deadline, "deadline");
        }
    }
}
