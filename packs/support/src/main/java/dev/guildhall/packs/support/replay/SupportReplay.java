package dev.guildhall.packs.support.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.Checks;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.jobs.WorkerOptions;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.registry.AgentRegistry;
import dev.guildhall.core.workflow.RunHandle;
import dev.guildhall.core.workflow.RunResult;
import dev.guildhall.core.workflow.StartRequest;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.WorkflowRegistry;
import dev.guildhall.knowledge.collection.Embedder;
import dev.guildhall.knowledge.collection.KnowledgeBase;
import dev.guildhall.knowledge.collection.SearchMode;
import dev.guildhall.knowledge.collection.WorkspaceKnowledgeSearch;
import dev.guildhall.knowledge.embed.EmbeddingService;
import dev.guildhall.knowledge.embed.InProcessEmbeddingService;
import dev.guildhall.knowledge.router.LabelledCsv;
import dev.guildhall.knowledge.router.LabelledExample;
import dev.guildhall.packs.support.DeskOutcome;
import dev.guildhall.packs.support.SupportDesk;
import dev.guildhall.packs.support.customer.CustomerContext;
import dev.guildhall.packs.support.customer.CustomerId;
import dev.guildhall.packs.support.customer.CustomerProfile;
import dev.guildhall.packs.support.customer.InMemoryCustomerDirectory;
import dev.guildhall.packs.support.faq.BankingFaq;
import dev.guildhall.packs.support.routing.WorkspaceRouters;
import dev.guildhall.store.jdbc.DurableRuntime;
import dev.guildhall.store.jdbc.JdbcDatabase;
import dev.guildhall.store.jdbc.JdbcSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Replays labelled messages through the whole desk: trains a fresh workspace's router on one CSV
 * (not timed), installs the pack's help centre, then starts one durable {@code support-desk} run per
 * message of another CSV on the embedded H2 database of {@code dataDir}, at most {@code
 * concurrency} in flight, and measures what a customer would see: routing accuracy against the
 * labels, the share escalated to a person, end-to-end latency (start of the run to its completion,
 * including every checkpoint) and throughput.
 */
public final class SupportReplay {
    /** Customers the replayed messages are spread over, so enrichment and its cache do real work. */
    static final int CUSTOMERS = 100;

    /** Training messages per warm-up round (cycling through them when there are fewer). */
    static final int WARM_UP_ROUND = 500;
    /** Warm-up ends when the JIT compiler used less than this share of one core in the last round... */
    static final double QUIET_COMPILER = 0.15;
    /** ...or after this long. */
    static final Duration MAX_WARM_UP = Duration.ofSeconds(60);

    private SupportReplay() {}

    /**
     * @param concurrency runs in flight at once (and the durable worker's concurrency)
     * @param search how the answerer searches the help centre (the intent filter leaves it one
     *     article, so BM25 ranks its passages without embedding the message a second time)
     */
    public record Options(
            Path train,
            Path data,
            Path dataDir,
            int concurrency,
            SearchMode search,
            List<Path> extraAgents,
            boolean warmUp) {
        public Options {
            Checks.notNull(train, "train");
            Checks.notNull(data, "data");
            Checks.notNull(dataDir, "dataDir");
            Checks.positive(concurrency, "concurrency");
            Checks.notNull(search, "search");
            extraAgents = List.copyOf(extraAgents);
        }
    }

    /** The figures; {@link #line()} is the machine-readable last line. */
    public record Report(
            int messages,
            int routedCorrectly,
            int escalated,
            int failed,
            double p50Ms,
            double p99Ms,
            double throughputPerSecond,
            double trainSeconds) {
        public double routingAccuracy() {
            return messages == 0 ? Double.NaN : (double) routedCorrectly / messages;
        }

        public double escalationRate() {
            return messages == 0 ? Double.NaN : (double) escalated / messages;
        }

        public String line() {
            return String.format(
                    java.util.Locale.ROOT,
                    "messages=%d routing_accuracy=%.4f escalation_rate=%.4f p50_ms=%.2f p99_ms=%.2f throughput_per_s=%.1f",
                    messages,
                    routingAccuracy(),
                    escalationRate(),
                    p50Ms,
                    p99Ms,
                    throughputPerSecond);
        }
    }

    public static Report run(Options options, PrintWriter out) {
        List<LabelledExample> train = LabelledCsv.read(options.train());
        List<LabelledExample> data = LabelledCsv.read(options.data());
        WorkspaceId workspace = WorkspaceId.of("replay");
        Clock clock = Clock.systemUTC();
        EmbeddingService embeddings = InProcessEmbeddingService.bgeSmallEnV15Quantized();
        try (KnowledgeBase knowledge = new KnowledgeBase(options.dataDir(), Embedder.bgeSmallEnV15Quantized())) {
            long t0 = System.nanoTime();
            BankingFaq.install(knowledge, workspace);
            WorkspaceRouters routers =
                    new WorkspaceRouters(options.dataDir().resolve("support").resolve("routers"), () -> embeddings);
            routers.train(workspace, train);
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            out.printf(
                    "trained the router on %d messages (%d intents) and indexed %d help-centre articles in %.1f s%n",
                    train.size(),
                    train.stream().map(LabelledExample::label).distinct().count(),
                    BankingFaq.intents().size(),
                    trainSeconds);
            out.flush();

            InMemoryCustomerDirectory customers = new InMemoryCustomerDirectory();
            for (int i = 0; i < CUSTOMERS; i++) {
                customers.put(workspace, replayCustomer(i));
            }
            SupportDesk desk = new SupportDesk(routers, new CustomerContext(customers, clock));
            AgentRegistry agents = desk.registry(options.extraAgents());
            Workflow workflow = SupportDesk.workflow(agents);
            WorkflowRegistry workflows = new WorkflowRegistry().register(workflow);
            WorkerOptions worker = WorkerOptions.defaults(
                            "replay-" + ProcessHandle.current().pid())
                    .withConcurrency(options.concurrency())
                    .withIdlePoll(Duration.ofMillis(20));
            try (JdbcDatabase database = JdbcDatabase.open(JdbcSettings.embedded(options.dataDir()));
                    DurableRuntime runtime = DurableRuntime.open(database, clock, worker, b -> b.agents(agents)
                                    .workflows(workflows)
                                    .knowledge(w -> new WorkspaceKnowledgeSearch(knowledge, w, options.search())))
                            .start()) {
                if (options.warmUp()) {
                    WarmUp warmUp = warmUp(runtime, workflow, workspace, train, options.concurrency());
                    out.printf(
                            java.util.Locale.ROOT,
                            "warmed up with %d training messages in %.1f s (until the JIT compiler used under %d %%"
                                    + " of a core)%n",
                            warmUp.messages(),
                            warmUp.seconds(),
                            (int) (100 * QUIET_COMPILER));
                    out.flush();
                }
                Duration cpuBefore = processCpu();
                Timed timed = replay(runtime, workflow, workspace, data, options.concurrency());
                double cpuMsPerMessage = processCpu().minus(cpuBefore).toNanos() / 1e6 / Math.max(1, data.size());
                int correct = 0;
                int escalated = 0;
                int failed = 0;
                for (int i = 0; i < data.size(); i++) {
                    DeskOutcome o = timed.outcomes[i];
                    if (o == null) {
                        failed++;
                        escalated++; // A run that failed reaches a person through the dead letters.
                        continue;
                    }
                    if (o.escalated()) {
                        escalated++;
                    }
                    if (o.intent().equals(data.get(i).label())) {
                        correct++;
                    }
                }
                double[] sorted = timed.latenciesMs.clone();
                Arrays.sort(sorted);
                Report report = new Report(
                        data.size(),
                        correct,
                        escalated,
                        failed,
                        percentile(sorted, 0.50),
                        percentile(sorted, 0.99),
                        data.size() / timed.seconds,
                        trainSeconds);
                out.printf(
                        "replayed %d messages in %.2f s with %d in flight (durable runs on H2 in %s; answers searched by %s)%n",
                        data.size(),
                        timed.seconds,
                        options.concurrency(),
                        options.dataDir(),
                        options.search().name().toLowerCase(java.util.Locale.ROOT));
                out.printf(
                        java.util.Locale.ROOT,
                        "process CPU %.2f ms per message (all threads: engine, H2, router, search), load average %.1f"
                                + " on %d cores%n",
                        cpuMsPerMessage,
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                                .getSystemLoadAverage(),
                        Runtime.getRuntime().availableProcessors());
                out.printf(
                        "routed correctly %d, replied %d, escalated %d, failed runs %d%n",
                        correct, data.size() - escalated, escalated, failed);
                return report;
            }
        }
    }

    private record WarmUp(int messages, double seconds) {}

    /**
     * Pushes training messages through the desk until the JIT compiler has compiled the hot paths,
     * so that the timed replay measures the desk rather than the compiler (the desk's code, H2,
     * Lucene and Jackson take C2 tens of seconds of CPU on a small machine, which a long-running
     * server pays once). Training messages, so no test message is seen twice.
     */
    private static WarmUp warmUp(
            DurableRuntime runtime,
            Workflow workflow,
            WorkspaceId workspace,
            List<LabelledExample> train,
            int concurrency) {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        long started = System.nanoTime();
        int sent = 0;
        while (true) {
            List<LabelledExample> round = new ArrayList<>(WARM_UP_ROUND);
            for (int i = 0; i < WARM_UP_ROUND; i++) {
                LabelledExample e = train.get((sent + i) % train.size());
                round.add(new LabelledExample(reversed(e.text()), e.label()));
            }
            long compiledBefore = jit == null ? 0 : jit.getTotalCompilationTime();
            Timed timed = replay(runtime, workflow, workspace, round, concurrency);
            sent += round.size();
            double compilerShare =
                    jit == null ? 0 : (jit.getTotalCompilationTime() - compiledBefore) / 1000.0 / timed.seconds;
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            if (compilerShare < QUIET_COMPILER || elapsed.compareTo(MAX_WARM_UP) >= 0) {
                return new WarmUp(sent, elapsed.toNanos() / 1e9);
            }
        }
    }

    /**
     * A training message with its words in reverse order: not in the embedding cache, and less
     * familiar to the n-gram view, so the warm-up goes down every path a new message takes.
     */
    static String reversed(String text) {
        List<String> words = new ArrayList<>(Arrays.asList(text.trim().split("\\s+")));
        java.util.Collections.reverse(words);
        return String.join(" ", words);
    }

    private record Timed(DeskOutcome[] outcomes, double[] latenciesMs, double seconds) {}

    private static Timed replay(
            DurableRuntime runtime,
            Workflow workflow,
            WorkspaceId workspace,
            List<LabelledExample> messages,
            int concurrency) {
        DeskOutcome[] outcomes = new DeskOutcome[messages.size()];
        double[] latencies = new double[messages.size()];
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicInteger done = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>(messages.size());
        long start = System.nanoTime();
        for (int i = 0; i < messages.size(); i++) {
            int index = i;
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            ObjectNode input = Json.object()
                    .put("message", messages.get(i).text())
                    .put("customerId", "replay-" + (i % CUSTOMERS))
                    .put("channel", "api");
            long began = System.nanoTime();
            RunHandle handle = runtime.engine().start(workflow, StartRequest.of(workspace, input));
            runtime.worker().nudge();
            all.add(handle.completion().whenComplete((RunResult r, Throwable t) -> {
                latencies[index] = (System.nanoTime() - began) / 1e6;
                if (t == null && r.succeeded()) {
                    outcomes[index] = DeskOutcome.of(r);
                }
                done.incrementAndGet();
                inFlight.release();
            }));
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("the replay did not finish: " + e, e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Timed(outcomes, latencies, seconds);
    }

    private static Duration processCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Ordinary customers: basic and premium plans, lifetime values under the panel's thresholds. */
    static CustomerProfile replayCustomer(int i) {
        return new CustomerProfile(
                CustomerId.of("replay-" + i),
                "Replay customer " + i,
                i % 4 == 0 ? "premium" : "basic",
                50 + (i * 37) % 1900,
                i % 10 == 0 ? "at-risk" : "healthy",
                List.of(),
                0);
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
