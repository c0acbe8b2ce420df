package dev.guildhall.bench;

import static org.bsc.langgraph4j.GraphDefinition.END;
import static org.bsc.langgraph4j.GraphDefinition.START;
import static org.bsc.langgraph4j.action.AsyncNodeAction.node_async;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.bsc.langgraph4j.CompiledGraph;
import org.bsc.langgraph4j.GraphStateException;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.StateGraph;
import org.bsc.langgraph4j.action.NodeAction;
import org.bsc.langgraph4j.state.AgentState;
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
 * The same graphs as {@link GuildhallBenchmark}, built with LangGraph4j 1.8.17 at its defaults:
 * {@code StateGraph<AgentState>}, no channels, {@code compile()} without a checkpoint saver, and
 * {@code invoke(Map)}. LangGraph4j drives a run on the calling thread. A node with several
 * outgoing edges becomes one parallel node whose branches run one after another on that thread
 * unless the run's config names an executor for it ({@code addParallelNodeExecutor}); {@link
 * #fanOut()} measures the default and {@link #fanOutExecutor()} the executor option.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+UseG1GC"})
public class LangGraph4jBenchmark {
    private static final Map<String, Object> NO_INPUT = Map.of();

    private CompiledGraph<AgentState> chain;
    private CompiledGraph<AgentState> chainWrite;
    private CompiledGraph<AgentState> chainAgent;
    private CompiledGraph<AgentState> fanOut;
    private ExecutorService executor;
    private RunnableConfig fanOutOnExecutor;

    @Setup(Level.Trial)
    public void setUp() throws GraphStateException {
        chain = chainGraph(i -> state -> Map.of());
        chainWrite = chainGraph(i -> state -> Map.of("last", i));
        NoopAgent agent = new NoopAgent();
        chainAgent = chainGraph(i -> state -> Map.of("answer", agent.run(state.data())));
        fanOut = fanOutGraph();
        // The same kind of executor the Guildhall engine uses by default for parallel steps.
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "lg4j-parallel");
            t.setDaemon(true);
            return t;
        });
        fanOutOnExecutor = RunnableConfig.builder()
                .addParallelNodeExecutor("start", executor)
                .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.shutdownNow();
    }

    @Benchmark
    public AgentState chain() {
        return chain.invoke(NO_INPUT).orElseThrow();
    }

    @Benchmark
    public AgentState chainWrite() {
        return chainWrite.invoke(NO_INPUT).orElseThrow();
    }

    /** LangGraph4j has no agent registry, so its agent node is a node calling a no-op agent object and storing its answer. */
    @Benchmark
    public AgentState chainAgent() {
        return chainAgent.invoke(NO_INPUT).orElseThrow();
    }

    /** Branches run one after another on the caller's thread (LangGraph4j's default). */
    @Benchmark
    public AgentState fanOut() {
        return fanOut.invoke(NO_INPUT).orElseThrow();
    }

    /** Branches run on a cached thread pool, through {@code RunnableConfig.addParallelNodeExecutor}. */
    @Benchmark
    public AgentState fanOutExecutor() {
        return fanOut.invoke(NO_INPUT, fanOutOnExecutor).orElseThrow();
    }

    private static CompiledGraph<AgentState> chainGraph(IntFunction<NodeAction<AgentState>> action)
            throws GraphStateException {
        String[] nodes = Shapes.ids("s", Shapes.CHAIN_LENGTH);
        StateGraph<AgentState> graph = new StateGraph<>(AgentState::new);
        for (int i = 0; i < nodes.length; i++) {
            graph.addNode(nodes[i], node_async(action.apply(i)));
        }
        graph.addEdge(START, nodes[0]);
        for (int i = 0; i + 1 < nodes.length; i++) {
            graph.addEdge(nodes[i], nodes[i + 1]);
        }
        graph.addEdge(nodes[nodes.length - 1], END);
        return graph.compile();
    }

    private static CompiledGraph<AgentState> fanOutGraph() throws GraphStateException {
        NodeAction<AgentState> noop = state -> Map.of();
        StateGraph<AgentState> graph = new StateGraph<>(AgentState::new)
                .addNode("start", node_async(noop))
                .addNode("join", node_async(noop));
        graph.addEdge(START, "start");
        for (String branch : Shapes.ids("b", Shapes.FAN_OUT_WIDTH)) {
            graph.addNode(branch, node_async(noop)).addEdge("start", branch).addEdge(branch, "join");
        }
        graph.addEdge("join", END);
        return graph.compile();
    }

    /** Stands in for an agent: takes the state, returns a fixed answer. */
    static final class NoopAgent {
        String run(Map<String, Object> input) {
            return "ok";
        }
    }
}
