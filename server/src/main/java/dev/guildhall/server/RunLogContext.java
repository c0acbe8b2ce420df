package dev.guildhall.server;

import dev.guildhall.core.workflow.RunEvent;
import dev.guildhall.core.workflow.RunListener;
import dev.guildhall.core.workflow.RunRef;
import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Puts the run a thread works on into the logging context (MDC keys {@code run}, {@code workspace},
 * {@code workflow}), so every line logged while driving it names it; structured logs carry them as
 * fields. The engine's step threads inherit the context through {@link #propagating}. Run starts and
 * ends are logged at DEBUG (a busy node starts hundreds a second), step failures at WARN.
 */
final class RunLogContext implements RunListener {
    static final String RUN = "run";
    static final String WORKSPACE = "workspace";
    static final String WORKFLOW = "workflow";
    private static final Logger LOG = LoggerFactory.getLogger(RunLogContext.class);

    private final RunListener next;

    RunLogContext(RunListener next) {
        this.next = next;
    }

    @Override
    public void onEvent(RunEvent event) {
        RunRef ref = event.ref();
        MDC.put(RUN, ref.run().value());
        MDC.put(WORKSPACE, ref.workspace().value());
        MDC.put(WORKFLOW, ref.workflow());
        log(event);
        next.onEvent(event);
        if (event instanceof RunEvent.RunSucceeded
                || event instanceof RunEvent.RunFailed
                || event instanceof RunEvent.RunCancelled
                || event instanceof RunEvent.RunSuspended) {
            // The driving thread moves on to another run (or none): leave no stale context behind.
            MDC.remove(RUN);
            MDC.remove(WORKSPACE);
            MDC.remove(WORKFLOW);
        }
    }

    private static void log(RunEvent event) {
        if (event instanceof RunEvent.RunStarted) {
            LOG.debug("Run started");
        } else if (event instanceof RunEvent.RunSucceeded e) {
            LOG.debug("Run succeeded in {} ms", e.took().toMillis());
        } else if (event instanceof RunEvent.RunFailed e) {
            LOG.warn("Run failed: {}", e.failure().message());
        } else if (event instanceof RunEvent.StepFailed e) {
            LOG.warn(
                    "Step(step={}, attempt={}) failed: {}",
                    e.step(),
                    e.attempt(),
                    e.failure().message());
        } else if (event instanceof RunEvent.StepSucceeded e) {
            LOG.debug("Step(step={}) succeeded in {} ms", e.step(), e.took().toMillis());
        }
    }

    /** An executor whose tasks run with the logging context of the thread that submitted them. */
    static ExecutorService propagating(ExecutorService executor) {
        ContextRegistry registry = new ContextRegistry().registerThreadLocalAccessor(new Slf4jThreadLocalAccessor());
        return ContextExecutorService.wrap(
                executor,
                ContextSnapshotFactory.builder().contextRegistry(registry).build());
    }

    /**
     * The engine's threads for steps: unbounded (steps block on I/O), daemon, carrying the logging
     * context of the run that submitted the step. Not an {@code ExecutorService} bean, which would
     * displace Spring's own task executor.
     */
    record StepThreads(ExecutorService executor) implements AutoCloseable {
        static StepThreads create() {
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            return new StepThreads(propagating(java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "guildhall-step-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            })));
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
