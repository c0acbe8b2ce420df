package dev.guildhall.core.workflow.internal;

import dev.guildhall.core.retry.RetryPolicy;
import dev.guildhall.core.workflow.Failure;
import dev.guildhall.core.workflow.StepTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The one retry loop of the engine, used for workflow nodes and for agent calls inside steps:
 * timeout per attempt, retry by policy with backoff, and cancellation that wakes a backoff at once.
 */
public final class Attempts {
    /** One attempt's work; the argument is the attempt number, starting at 1. */
    @FunctionalInterface
    public interface Work<T> {
        T run(int attempt) throws Exception;
    }

    /** Told about retries and final failures, to emit events. */
    public interface Observer {
        Observer NONE = new Observer() {};

        default void retrying(int attempt, Failure failure, Duration delay) {}

        default void failed(int attempt, Failure failure) {}
    }

    /** The run was cancelled while this work was attempted. */
    public static final class Cancelled extends RuntimeException {
        public Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    private final Watchdog watchdog;
    private final Random random;

    /** @param watchdog interrupts attempts that pass their timeout */
    public Attempts(Watchdog watchdog, Random random) {
        this.watchdog = watchdog;
        this.random = random;
    }

    /**
     * Runs {@code work} until it succeeds, fails for good or the run is cancelled. A {@link
     * SuspendRequest} passes straight through: suspending is not failing.
     *
     * @param what names the work in failures; only built when an attempt fails
     *
     * @throws Cancelled when the run was cancelled
     * @throws Exception the last failure when no retry is left
     */
    public <T> T run(
            Supplier<String> what,
            RetryPolicy policy,
            Optional<Duration> timeout,
            RunControl control,
            Work<T> work,
            Observer observer)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            if (control.isCancelled()) {
                throw new Cancelled();
            }
            try {
                return once(what, timeout, control, work, attempt);
            } catch (SuspendRequest | Cancelled e) {
                throw e;
            } catch (Exception e) {
                if (control.isCancelled()) {
                    throw new Cancelled();
                }
                Failure failure = Failure.of(e, what.get());
                if (!policy.allowsRetry(attempt, failure.type(), failure.nonRetryable())) {
                    observer.failed(attempt, failure);
                    throw e;
                }
                Duration delay = policy.delayBefore(attempt + 1, random);
                observer.retrying(attempt, failure, delay);
                if (control.awaitCancel(delay)) {
                    throw new Cancelled();
                }
            }
        }
    }

    /**
     * Runs one attempt on the calling thread. With a timeout, the watchdog interrupts the thread at
     * the deadline and the attempt fails with {@link StepTimeoutException}, whatever it returns;
     * blocking calls (I/O, locks, waits) end at the interrupt. Running inline rather than on
     * another thread keeps an attempt's cost at a queued watch instead of a thread hand-off, and
     * leaves no abandoned attempt running beside its retry.
     */
    private <T> T once(Supplier<String> what, Optional<Duration> timeout, RunControl control, Work<T> work, int attempt)
            throws Exception {
        if (timeout.isEmpty()) {
            return work.run(attempt);
        }
        Watchdog.Watch watch = watchdog.watch(timeout.get());
        T result;
        try {
            result = work.run(attempt);
        } catch (Exception e) {
            if (!watch.finish()) {
                throw new StepTimeoutException(what.get(), timeout.get());
            }
            if (e instanceof InterruptedException && control.isCancelled()) {
                throw new Cancelled();
            }
            throw e;
        } catch (Error e) {
            watch.finish();
            throw e;
        }
        if (!watch.finish()) {
            throw new StepTimeoutException(what.get(), timeout.get());
        }
        return result;
    }
}
