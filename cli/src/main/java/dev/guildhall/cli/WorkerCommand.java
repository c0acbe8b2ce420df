package dev.guildhall.cli;

import dev.guildhall.bus.redis.RedisBusSettings;
import dev.guildhall.bus.redis.RedisStreamsEventBus;
import dev.guildhall.core.bus.EventBus;
import dev.guildhall.core.bus.InMemoryEventBus;
import dev.guildhall.core.jobs.QueueStats;
import dev.guildhall.core.jobs.WorkerOptions;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.WorkflowRegistry;
import dev.guildhall.core.workflow.definition.WorkflowDefinitions;
import dev.guildhall.store.jdbc.DurableRuntime;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code guildhall worker}: a durable worker node for declarative workflows. It claims runs of the
 * store's job queue (submitted with {@code guildhall run --submit}, woken by signals or timers),
 * drives them and checkpoints every superstep, until SIGTERM or Ctrl-C stop it gracefully.
 */
@Command(
        name = "worker",
        description = "Drive queued runs of these workflows until stopped (SIGTERM or Ctrl-C stop it gracefully).")
final class WorkerCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    GuildhallCli root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "WORKFLOW", description = "The workflow definitions (YAML) it serves.")
    List<Path> workflowFiles = new ArrayList<>();

    @Option(
            names = {"-a", "--agents"},
            paramLabel = "PATH",
            description = "Agent definitions (repeatable). Default: the 'agents' directory next to each workflow.")
    List<Path> agents = new ArrayList<>();

    @Option(
            names = "--concurrency",
            defaultValue = "16",
            description = "Runs driven at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--id", description = "The worker's name in leases (default: worker-HOST-PID).")
    String id;

    @Option(
            names = "--drain",
            description = "Stop once nothing is due or leased (for batch jobs and tests) instead of waiting for more.")
    boolean drain;

    @Option(names = "--json", description = "Log run events as JSON lines.")
    boolean json;

    /** A name unique per process: {@code prefix-host-pid}. */
    static String defaultId(String prefix) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return prefix + "-" + host.toLowerCase(Locale.ROOT) + "-"
                + ProcessHandle.current().pid();
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        for (Path f : workflowFiles) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException("workflow file not found: " + f);
            }
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("--concurrency must be at least 1, was " + concurrency);
        }
        String workerId = id == null ? defaultId("worker") : id;
        CliRuntime rt = CliRuntime.create(root, agentSources(), new EventPrinter(err, json));
        AtomicBoolean closed = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        DurableRuntime node;
        EventBus bus;
        try {
            WorkflowRegistry registry = new WorkflowRegistry();
            List<String> ids = new ArrayList<>();
            for (Path f : workflowFiles) {
                Workflow wf = WorkflowDefinitions.load(f, rt.agents);
                registry.register(wf);
                ids.add(wf.id());
            }
            WorkerOptions options = WorkerOptions.defaults(workerId)
                    .withConcurrency(concurrency)
                    .withIdlePoll(java.time.Duration.ofMillis(50));
            node = rt.durable(options, registry, new EventPrinter(err, json)).start();
            // Every node relays the outbox to the deployment's bus (Redis when GUILDHALL_REDIS_URL is
            // set, as for the server), so run events reach their consumers and the outbox stays small.
            bus = eventBus(root.env);
            node.relayTo(bus);
            err.println("guildhall worker " + workerId + ": workflows " + ids + " · concurrency " + concurrency
                    + " · database " + CliStore.describe(root.storeSettings()) + " · " + rt.modelsLine());
            err.flush();
        } catch (RuntimeException e) {
            rt.close();
            throw e;
        }
        Runnable shutdown = () -> {
            if (closed.compareAndSet(false, true)) {
                err.println("guildhall worker " + workerId + ": stopping; in-flight runs finish or are handed back");
                err.flush();
                rt.close();
                bus.close();
                err.println("guildhall worker " + workerId + ": stopped after driving "
                        + node.worker().driven() + " run(s)");
                err.flush();
            }
            stopped.countDown();
        };
        Thread hook = new Thread(shutdown, "guildhall-worker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (drain) {
            awaitDrained(node);
            Runtime.getRuntime().removeShutdownHook(hook);
            shutdown.run();
            return 0;
        }
        stopped.await();
        return 0;
    }

    /** Waits until nothing is due or leased and this worker drives nothing, seen twice in a row. */
    private static EventBus eventBus(java.util.Map<String, String> env) {
        String redis = env.get(RedisBusSettings.ENV_URL);
        if (redis == null || redis.isBlank()) {
            return InMemoryEventBus.create();
        }
        return RedisStreamsEventBus.connect(RedisBusSettings.fromEnvironment(env), java.time.Clock.systemUTC());
    }

    private static void awaitDrained(DurableRuntime node) throws InterruptedException {
        int quiet = 0;
        while (quiet < 2) {
            Thread.sleep(100);
            QueueStats stats = node.queue().stats();
            boolean idle =
                    stats.due() == 0 && stats.leased() == 0 && node.worker().inFlight() == 0;
            quiet = idle ? quiet + 1 : 0;
        }
    }

    private List<Path> agentSources() {
        if (!agents.isEmpty()) {
            return agents;
        }
        Set<Path> dirs = new LinkedHashSet<>();
        for (Path f : workflowFiles) {
            Path dir = f.toAbsolutePath().getParent().resolve("agents");
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException(
                        "no agents given and " + dir + " does not exist; pass --agents PATH");
            }
            dirs.add(dir);
        }
        return List.copyOf(dirs);
    }
}
