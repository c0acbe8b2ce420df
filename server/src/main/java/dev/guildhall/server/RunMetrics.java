package dev.guildhall.server;

import dev.guildhall.core.jobs.QueueStats;
import dev.guildhall.core.workflow.RunEvent;
import dev.guildhall.core.workflow.RunListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Run and queue metrics: runs started and finished by workflow and outcome, step latency by
 * workflow, step and the agent the step calls, and the job queue's depth, lag and dead letters. The run counters count what
 * this node drove, so they add up across nodes; the queue gauges show the shared queue, read at
 * most once a second.
 */
final class RunMetrics implements RunListener {
    static final String NO_AGENT = "none";
    private final MeterRegistry registry;
    private final java.util.function.BiFunction<String, String, String> agentOf;

    /**
     * @param agentOf the agent a workflow's step calls, or {@link #NO_AGENT} for a plain step
     */
    RunMetrics(MeterRegistry registry, java.util.function.BiFunction<String, String, String> agentOf) {
        this.registry = registry;
        this.agentOf = agentOf;
    }

    /**
     * Looks the step's node up in the catalogue's workflow when the step first reports (workflows
     * registered later are found too); a fan-out copy ({@code node#n}) counts as its node.
     */
    static java.util.function.BiFunction<String, String, String> agentsOf(WorkspaceCatalog catalog) {
        java.util.Map<String, String> known = new java.util.concurrent.ConcurrentHashMap<>();
        return (workflow, step) -> {
            int hash = step.indexOf('#');
            String node = hash < 0 ? step : step.substring(0, hash);
            String key = workflow + '\u0000' + node;
            String agent = known.get(key);
            if (agent != null) {
                return agent;
            }
            agent = catalog.allWorkflows().stream()
                    .filter(w -> w.id().equals(workflow))
                    .flatMap(w -> w.nodes().stream())
                    .filter(n -> n.id().equals(node) && n.agent() != null)
                    .map(n -> n.agent().value())
                    .findFirst()
                    .orElse(NO_AGENT);
            known.put(key, agent);
            return agent;
        };
    }

    @Override
    public void onEvent(RunEvent event) {
        // Java 17: no pattern matching in switch yet, so an instanceof chain over the sealed type.
        if (event instanceof RunEvent.RunStarted e) {
            counter("guildhall.runs.started", e.ref().workflow(), null).increment();
        } else if (event instanceof RunEvent.RunSucceeded e) {
            finished(e.ref().workflow(), "succeeded");
        } else if (event instanceof RunEvent.RunFailed e) {
            finished(e.ref().workflow(), "failed");
        } else if (event instanceof RunEvent.RunCancelled e) {
            finished(e.ref().workflow(), "cancelled");
        } else if (event instanceof RunEvent.StepSucceeded e) {
            step(e.ref().workflow(), e.step(), "succeeded", e.took());
        } else if (event instanceof RunEvent.StepFailed e) {
            Counter.builder("guildhall.steps.failed")
                    .tag("workflow", e.ref().workflow())
                    .tag("step", e.step())
                    .register(registry)
                    .increment();
        }
    }

    private void finished(String workflow, String outcome) {
        counter("guildhall.runs.finished", workflow, outcome).increment();
    }

    private void step(String workflow, String step, String outcome, Duration took) {
        Timer.builder("guildhall.steps")
                .description("Step latency")
                .tag("workflow", workflow)
                .tag("step", step)
                .tag("agent", agentOf.apply(workflow, step))
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)
                .record(took);
    }

    private Counter counter(String name, String workflow, String outcome) {
        Counter.Builder b = Counter.builder(name).tag("workflow", workflow);
        if (outcome != null) {
            b.tag("outcome", outcome);
        }
        return b.register(registry);
    }

    /** Registers the queue gauges; {@code stats} is called at most once a second. */
    static void registerQueueGauges(MeterRegistry registry, Supplier<QueueStats> stats, Clock clock) {
        Supplier<QueueStats> cached = new Supplier<>() {
            private QueueStats last;
            private Instant at = Instant.MIN;

            @Override
            public synchronized QueueStats get() {
                Instant now = clock.instant();
                if (last == null || Duration.between(at, now).compareTo(Duration.ofSeconds(1)) >= 0) {
                    last = stats.get();
                    at = now;
                }
                return last;
            }
        };
        gauge(registry, "guildhall.queue.due", "Runs due now, waiting for a worker", cached, s -> s.due());
        gauge(registry, "guildhall.queue.scheduled", "Runs waiting for a time or a signal", cached, s -> s.scheduled());
        gauge(registry, "guildhall.queue.leased", "Runs a worker is driving", cached, s -> s.leased());
        gauge(registry, "guildhall.queue.dead.letters", "Runs parked as dead letters", cached, s -> s.dead());
        gauge(
                registry,
                "guildhall.queue.lag.seconds",
                "How long the oldest due run has waited",
                cached,
                s -> s.lag().toNanos() / 1e9);
    }

    private static void gauge(
            MeterRegistry registry,
            String name,
            String description,
            Supplier<QueueStats> stats,
            ToDoubleFunction<QueueStats> value) {
        // A strong reference: Micrometer holds a gauge's object weakly, and nothing else keeps the
        // caching supplier alive, so the gauges read NaN after the first garbage collection.
        Gauge.builder(name, stats, s -> value.applyAsDouble(s.get()))
                .strongReference(true)
                .description(description)
                .register(registry);
    }
}
