package dev.guildhall.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.AgentId;
import dev.guildhall.core.UserId;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.gateway.ModelGateway;
import dev.guildhall.core.knowledge.KnowledgeSearch;
import dev.guildhall.core.tool.ToolRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * What a step can see and do during one attempt. A step may run again after a retry, a crash or
 * a wait, so work that must not repeat goes through {@link #call} or {@link #memo}: their results
 * are journaled with the run and returned as they were on the next execution of the same step.
 *
 * <p>Waiting is written as straight-line code: {@link #awaitSignal} and {@link #sleepUntil} return
 * at once when the signal is there or the time has come, and otherwise suspend the run; the step
 * executes again from the top when the run resumes.
 */
public interface StepContext {

    RunRef run();

    @Nullable
    UserId user();

    /** The node's id. */
    String node();

    /** The node's id, suffixed {@code #n} on the n-th visit of a loop: the idempotency scope of effects. */
    String step();

    /** 1 for the first try of this visit, 2 for the first retry, and so on. */
    int attempt();

    /** How often a loop has entered this node, starting at 1. */
    int visit();

    /** The shared state as of the start of this superstep. */
    State state();

    Clock clock();

    Logger log();

    ModelGateway gateway();

    ToolRegistry tools();

    /** The run's workspace's knowledge; another tenant's collections are not reachable. */
    KnowledgeSearch knowledge();

    /** {@code run:step}, stable across retries and resumes of this step. */
    default String idempotencyKey() {
        return run().run().value() + ":" + step();
    }

    /**
     * Calls an agent once per run and {@code key}: with the agent's timeout and retry policy, and
     * journaled, so that the step running again gets the recorded result instead of calling again.
     */
    AgentResult call(String key, AgentId agent, AgentTask task);

    default AgentResult call(AgentId agent, AgentTask task) {
        return call(agent.value(), agent, task);
    }

    /** Runs {@code work} once per run and {@code key}, journaling its JSON-serialisable result. */
    <T> T memo(String key, Class<T> type, Callable<T> work);

    /**
     * Runs tasks concurrently, at most {@code maxConcurrency} at a time, and returns their results
     * in input order. The first failure cancels the rest and is thrown.
     */
    <T> List<T> inParallel(List<? extends Callable<T>> tasks, int maxConcurrency);

    /**
     * The oldest unconsumed signal of this name, or a suspension of the run until one arrives.
     * With a timeout, returns empty once it has passed since the step first waited. A signal
     * returned here is consumed when the step completes.
     */
    Optional<JsonNode> awaitSignal(String name, @Nullable Duration timeout);

    /** Returns when the clock has reached {@code time}; suspends the run until then otherwise. */
    void sleepUntil(Instant time);

    /** Sleeps {@code duration} from the moment the step first asked, across resumes. */
    void sleep(Duration duration);

    /**
     * Runs {@code child} as a sub-workflow of this run, once per {@code key}, suspending this step
     * until the child finishes; returns the child's final state as JSON.
     *
     * @throws ChildRunFailedException when the child failed or was cancelled
     */
    JsonNode runChild(String key, Workflow child, JsonNode input);

    /** Whether the run has been asked to stop; long steps should check and return early. */
    boolean isCancelled();
}
