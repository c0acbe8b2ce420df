package dev.guildhall.bench;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentDescriptor;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.InMemoryRunStore;
import dev.guildhall.core.workflow.RunListener;
import dev.guildhall.core.workflow.RunResult;
import dev.guildhall.core.workflow.StartRequest;
import dev.guildhall.core.workflow.StateKey;
import dev.guildhall.core.workflow.Step;
import dev.guildhall.core.workflow.StepOptions;
import dev.guildhall.core.workflow.Update;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.WorkflowEngine;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Guildhall engine's own overhead: every step is a no-op, so what is measured is scheduling,
 * state application, events, checkpoints and the hand-off between the caller and the run's
 * driver thread. One operation is one run to completion through {@link WorkflowEngine#run}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+UseG1GC"})
public class GuildhallBenchmark {
    static final WorkspaceId WORKSPACE = WorkspaceId.of("bench");
    static final StateKey<Integer> LAST = StateKey.of("last", Integer.class);
    static final StateKey<AgentResult> ANSWER = StateKey.of("answer", AgentResult.class);
    static final AgentId NOOP_AGENT = AgentId.of("noop");
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private WorkflowEngine engine;
    private WorkflowEngine callerRunsEngine;
    private StartRequest request;
    private Workflow chain;
    private Workflow chainWrite;
    private Workflow chainAgent;
    private Workflow fanOut;

    @Setup(Level.Trial)
    public void setUp() {
        Agent noop = new NoopAgent();
        engine = WorkflowEngine.builder()
                .store(new InMemoryRunStore(false))
                .listener(RunListener.noop())
                .agents(id -> id.equals(NOOP_AGENT) ? Optional.of(noop) : Optional.empty())
                .build();
        // Diagnostic only: runs every task on the thread that submits it, so a run is driven on the
        // benchmark thread with no hand-off. It breaks the executor contract (a step's timeout can no
        // longer abandon it), so it is no supported setup; it shows the engine's cost without threads.
        callerRunsEngine = WorkflowEngine.builder()
                .store(new InMemoryRunStore(false))
                .listener(RunListener.noop())
                .executor(new CallerRunsExecutor())
                .build();
        request = StartRequest.of(WORKSPACE, Json.object());
        chain = chainGraph("chain", i -> Step.of(s -> Update.none()));
        chainWrite = chainGraph("chain-write", i -> Step.of(s -> Update.of(LAST, i)));
        chainAgent = agentChain();
        fanOut = fanOutGraph();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
        callerRunsEngine.close();
    }

    /** Ten no-op steps in sequence. */
    @Benchmark
    public RunResult chain() {
        return succeeded(engine.run(chain, request, TIMEOUT));
    }

    /** The chain on an engine whose executor runs tasks in the caller: the engine's cost without the driver hand-off. */
    @Benchmark
    public RunResult chainCallerRuns() {
        return succeeded(callerRunsEngine.run(chain, request, TIMEOUT));
    }

    /** Ten steps in sequence, each writing one small integer key. */
    @Benchmark
    public RunResult chainWrite() {
        return succeeded(engine.run(chainWrite, request, TIMEOUT));
    }

    /** Ten agent nodes in sequence, each calling a no-op agent through the agent lookup. */
    @Benchmark
    public RunResult chainAgent() {
        return succeeded(engine.run(chainAgent, request, TIMEOUT));
    }

    /** Start, 32 no-op branches in parallel, and a join. */
    @Benchmark
    public RunResult fanOut() {
        return succeeded(engine.run(fanOut, request, TIMEOUT));
    }

    private static RunResult succeeded(RunResult result) {
        if (!result.succeeded()) {
            throw new IllegalStateException("benchmark run did not succeed: " + result);
        }
        return result;
    }

    private static Workflow chainGraph(String id, java.util.function.IntFunction<Step> step) {
        String[] nodes = Shapes.ids("s", Shapes.CHAIN_LENGTH);
        Workflow.Builder b = Workflow.builder(id).keys(LAST);
        for (int i = 0; i < nodes.length; i++) {
            b.step(nodes[i], step.apply(i));
        }
        return b.start(nodes[0]).chain(nodes).build();
    }

    private static Workflow agentChain() {
        String[] nodes = Shapes.ids("a", Shapes.CHAIN_LENGTH);
        Workflow.Builder b = Workflow.builder("chain-agent");
        for (String node : nodes) {
            b.agent(node, NOOP_AGENT, ANSWER);
        }
        return b.start(nodes[0]).chain(nodes).build();
    }

    private static Workflow fanOutGraph() {
        String[] branches = Shapes.ids("b", Shapes.FAN_OUT_WIDTH);
        Step noop = Step.of(s -> Update.none());
        Workflow.Builder b = Workflow.builder("fan-out")
                .maxConcurrency(Shapes.FAN_OUT_WIDTH)
                .step("start", noop)
                .step("join", noop, StepOptions.builder().join(true).build());
        for (String branch : branches) {
            b.step(branch, noop).edge(branch, "join");
        }
        return b.start("start").edge("start", branches).build();
    }

    /** Runs each task at once on the calling thread. */
    static final class CallerRunsExecutor extends AbstractExecutorService {
        private volatile boolean shutdown;

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return shutdown;
        }
    }

    /** An agent that does nothing: the figure is the engine's cost of an agent node. */
    static final class NoopAgent implements Agent {
        private static final AgentDescriptor DESCRIPTOR = AgentDescriptor.of(NOOP_AGENT.value());
        private static final AgentResult RESULT = AgentResult.of("ok");

        @Override
        public AgentDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public AgentResult run(AgentTask task, AgentContext context) {
            return RESULT;
        }
    }
}
