package dev.guildhall.core.workflow.internal;

import dev.guildhall.core.RunId;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** The live handle on a run being driven: who drives it and whether it was asked to stop. */
public final class RunControl {
    private final RunId run;
    private final Thread driver;
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private final Set<Future<?>> inFlight = ConcurrentHashMap.newKeySet();
    private volatile String cancelReason;
    private volatile boolean handedBack;

    public RunControl(RunId run, Thread driver) {
        this.run = run;
        this.driver = driver;
    }

    public RunId run() {
        return run;
    }

    public void cancel(String reason) {
        this.cancelReason = reason;
        cancelled.countDown();
        inFlight.forEach(f -> f.cancel(true));
        driver.interrupt();
    }

    /**
     * Stops driving without recording an outcome: the run stays as last checkpointed, for another
     * worker to continue. In-flight steps are interrupted and their results dropped. Used when a
     * durable worker shuts down; a cancel, by contrast, ends the run.
     */
    public void handBack() {
        handedBack = true;
        cancel("handed back");
    }

    public boolean isHandedBack() {
        return handedBack;
    }

    public boolean isCancelled() {
        return cancelled.getCount() == 0;
    }

    public String cancelReason() {
        return cancelReason;
    }

    /** Waits up to {@code delay}; returns true when the run was cancelled meanwhile. */
    public boolean awaitCancel(Duration delay) {
        try {
            return cancelled.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    public void track(Future<?> future) {
        inFlight.add(future);
        if (isCancelled()) {
            future.cancel(true);
        }
    }

    public void untrack(Future<?> future) {
        inFlight.remove(future);
    }
}
