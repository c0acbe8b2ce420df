package dev.guildhall.core.workflow.internal;

import java.time.Duration;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Interrupts attempts that pass their timeout. One daemon thread looks at the open watches every
 * tick, so starting and finishing a watch is a queue append and a flag: cheap enough for every
 * step of a million-steps-per-second engine. Deadlines are kept to within a tick.
 */
public final class Watchdog implements AutoCloseable {
    private final Queue<Watch> watches = new ConcurrentLinkedQueue<>();
    private final long tickNanos;
    private final Thread thread;
    private volatile boolean running = true;

    public Watchdog(Duration tick) {
        this.tickNanos = tick.toNanos();
        this.thread = new Thread(this::patrol, "guildhall-step-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts watching the calling thread: it is interrupted once {@code timeout} has passed, unless the watch finishes first. */
    public Watch watch(Duration timeout) {
        Watch w = new Watch(Thread.currentThread(), System.nanoTime() + timeout.toNanos());
        watches.add(w);
        return w;
    }

    private void patrol() {
        while (running) {
            long now = System.nanoTime();
            for (Iterator<Watch> it = watches.iterator(); it.hasNext(); ) {
                Watch w = it.next();
                if (w.isFinished() || (now - w.deadline >= 0 && w.expire())) {
                    it.remove();
                }
            }
            LockSupport.parkNanos(tickNanos);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }

    /** One attempt's deadline. */
    public static final class Watch {
        private final Thread runner;
        private final long deadline;
        private boolean finished;
        private boolean expired;

        private Watch(Thread runner, long deadline) {
            this.runner = runner;
            this.deadline = deadline;
        }

        private synchronized boolean isFinished() {
            return finished;
        }

        private synchronized boolean expire() {
            if (finished) {
                return true;
            }
            expired = true;
            runner.interrupt();
            return true;
        }

        /**
         * Marks the attempt done; false when its deadline passed first. Then the interrupt meant for
         * the attempt is cleared here, under the lock it was sent under, so it cannot reach whatever
         * this thread does next.
         */
        public synchronized boolean finish() {
            finished = true;
            if (expired) {
                Thread.interrupted();
                return false;
            }
            return true;
        }
    }
}
