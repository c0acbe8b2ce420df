package dev.guildhall.core.workflow;

import dev.guildhall.core.RunId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Timers held in memory and checked by one background thread every {@code tick}. Reading time from
 * the given {@link Clock} (rather than sleeping for a delay) means a test that moves a mutable clock
 * and calls {@link #fireDue()} sees its timers fire at once.
 */
public final class InMemoryTimerService implements TimerService {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryTimerService.class);

    private record Timer(Instant dueAt, Runnable onDue) {}

    private final Clock clock;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;

    public InMemoryTimerService(Clock clock, Duration tick) {
        this.clock = clock;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "guildhall-timers");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, tick.toMillis());
        ticker.scheduleWithFixedDelay(this::fireDue, millis, millis, TimeUnit.MILLISECONDS);
    }

    private static String key(RunId run, String name) {
        return run.value() + "\u0000" + name;
    }

    @Override
    public void schedule(RunId run, String name, Instant dueAt, Runnable onDue) {
        timers.put(key(run, name), new Timer(dueAt, onDue));
    }

    @Override
    public void cancel(RunId run, String name) {
        timers.remove(key(run, name));
    }

    @Override
    public int fireDue() {
        Instant now = clock.instant();
        List<Runnable> due = new ArrayList<>();
        timers.forEach((key, timer) -> {
            if (!timer.dueAt().isAfter(now) && timers.remove(key, timer)) {
                due.add(timer.onDue());
            }
        });
        for (Runnable r : due) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("Timer callback failed: {}", e.toString());
            }
        }
        return due.size();
    }

    /** How many timers are pending. */
    public int pending() {
        return timers.size();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
