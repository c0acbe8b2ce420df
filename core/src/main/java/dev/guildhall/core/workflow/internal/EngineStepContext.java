package dev.guildhall.core.workflow.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.AgentId;
import dev.guildhall.core.RunId;
import dev.guildhall.core.UserId;
import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentDescriptor;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.gateway.ModelGateway;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.knowledge.KnowledgeSearch;
import dev.guildhall.core.tool.ToolRegistry;
import dev.guildhall.core.workflow.ChildRunFailedException;
import dev.guildhall.core.workflow.RunRef;
import dev.guildhall.core.workflow.SignalInbox;
import dev.guildhall.core.workflow.State;
import dev.guildhall.core.workflow.StepContext;
import dev.guildhall.core.workflow.Wait;
import dev.guildhall.core.workflow.Workflow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine's step context for one attempt of one node. */
public final class EngineStepContext implements StepContext {
    private static final Logger LOG = LoggerFactory.getLogger("guildhall.step");

    private final EngineServices services;
    private final RunControl control;
    private final RunRef run;
    private final @Nullable UserId user;
    private final String node;
    private final String step;
    private final int attempt;
    private final int visit;
    private final State state;
    private final Map<String, JsonNode> journal;
    private final SignalClaims claims;
    /** Created by the first signal this attempt takes; most steps take none. */
    private volatile @Nullable Set<Long> consumedSignals;
    /** Counts the waits of this execution, so each wait finds its own deadline in the journal. */
    private int waits;

    public EngineStepContext(
            EngineServices services,
            RunControl control,
            RunRef run,
            @Nullable UserId user,
            String node,
            int visit,
            int attempt,
            State state,
            Map<String, JsonNode> journal,
            SignalClaims claims) {
        this.services = services;
        this.control = control;
        this.run = run;
        this.user = user;
        this.node = node;
        this.visit = visit;
        this.step = visit > 1 ? node + "#" + visit : node;
        this.attempt = attempt;
        this.state = state;
        this.journal = journal;
        this.claims = claims;
    }

    /** Ids of the signals this attempt received, to consume when the step completes. */
    public Set<Long> consumedSignals() {
        Set<Long> taken = consumedSignals;
        return taken == null ? Set.of() : taken;
    }

    private void consumed(long signalId) {
        Set<Long> taken = consumedSignals;
        if (taken == null) {
            synchronized (this) {
                taken = consumedSignals;
                if (taken == null) {
                    taken = ConcurrentHashMap.newKeySet();
                    consumedSignals = taken;
                }
            }
        }
        taken.add(signalId);
    }

    @Override
    public RunRef run() {
        return run;
    }

    @Override
    public @Nullable UserId user() {
        return user;
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public String step() {
        return step;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public int visit() {
        return visit;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public Clock clock() {
        return services.clock();
    }

    @Override
    public Logger log() {
        return LOG;
    }

    @Override
    public ModelGateway gateway() {
        return services.gateway();
    }

    @Override
    public ToolRegistry tools() {
        return services.tools();
    }

    @Override
    public KnowledgeSearch knowledge() {
        return services.knowledge().apply(run.workspace());
    }

    /** One attempt of an agent, with no retry or journal: the node's own retry policy applies. */
    public AgentResult invokeOnce(AgentId agentId, AgentTask task) {
        Agent agent = services.agents().get(agentId);
        return agent.run(task, agentContext(agent.descriptor(), step, attempt));
    }

    public AgentDescriptor descriptorOf(AgentId agentId) {
        return services.agents().get(agentId).descriptor();
    }

    @Override
    public AgentResult call(String key, AgentId agentId, AgentTask task) {
        String journalKey = "call:" + key;
        JsonNode recorded = journal.get(journalKey);
        if (recorded != null) {
            return Json.convert(recorded, AgentResult.class);
        }
        Agent agent = services.agents().get(agentId);
        AgentDescriptor d = agent.descriptor();
        String callStep = step + "/" + key;
        AgentResult result;
        try {
            result = services.attempts()
                    .run(
                            () -> "agent " + d.id() + " in " + callStep,
                            d.retry(),
                            Optional.of(d.timeout()),
                            control,
                            n -> agent.run(task, agentContext(d, callStep, n)),
                            Attempts.Observer.NONE);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        JsonNode tree = Json.toTree(result);
        journal.put(journalKey, tree);
        services.recorder().record(run.run(), step, journalKey, tree);
        return result;
    }

    private AgentContext agentContext(AgentDescriptor d, String callStep, int n) {
        return new AgentContext(
                run.run(),
                run.workspace(),
                user,
                d,
                callStep,
                n,
                services.gateway(),
                services.tools(),
                knowledge(),
                services.clock(),
                services.agentLogger(d.id().value()));
    }

    @Override
    public <T> T memo(String key, Class<T> type, Callable<T> work) {
        String journalKey = "memo:" + key;
        JsonNode recorded = journal.get(journalKey);
        if (recorded != null) {
            return Json.convert(recorded, type);
        }
        T value;
        try {
            value = work.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        JsonNode tree = Json.toTree(value);
        journal.put(journalKey, tree);
        services.recorder().record(run.run(), step, journalKey, tree);
        return value;
    }

    @Override
    public <T> List<T> inParallel(List<? extends Callable<T>> tasks, int maxConcurrency) {
        if (tasks.isEmpty()) {
            return List.of();
        }
        Semaphore permits = new Semaphore(Math.max(1, maxConcurrency));
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> task : tasks) {
                permits.acquire();
                Future<T> f = services.executor().submit(() -> {
                    try {
                        return task.call();
                    } finally {
                        permits.release();
                    }
                });
                control.track(f);
                futures.add(f);
            }
            List<T> results = new ArrayList<>(tasks.size());
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Attempts.Cancelled();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } finally {
            for (Future<T> f : futures) {
                f.cancel(true);
                control.untrack(f);
            }
        }
    }

    @Override
    public Optional<JsonNode> awaitSignal(String name, @Nullable Duration timeout) {
        String waitKey = "wait:" + waits++;
        for (SignalInbox.Signal signal : services.inbox().pending(run.run(), name)) {
            if (claims.claim(signal.id(), node)) {
                consumed(signal.id());
                return Optional.of(signal.payload());
            }
        }
        // The deadline is fixed when the step first waits, and journaled so that it holds across resumes.
        Instant deadline = timeout == null
                ? null
                : memo(waitKey, Instant.class, () -> clock().instant().plus(timeout));
        if (deadline != null && !clock().instant().isBefore(deadline)) {
            return Optional.empty();
        }
        throw new SuspendRequest(new Wait.Signal(name, deadline));
    }

    @Override
    public void sleepUntil(Instant time) {
        if (clock().instant().isBefore(time)) {
            throw new SuspendRequest(new Wait.Timer(time));
        }
    }

    @Override
    public void sleep(Duration duration) {
        Instant until =
                memo("wait:" + waits++, Instant.class, () -> clock().instant().plus(duration));
        sleepUntil(until);
    }

    @Override
    public JsonNode runChild(String key, Workflow child, JsonNode input) {
        String childRun = memo("child:" + key, String.class, () -> services.children()
                .start(run, user, step(), key, child, input)
                .value());
        JsonNode outcome = awaitSignal(childSignal(key), null).orElseThrow();
        String status = outcome.path("status").asText();
        if (!"SUCCEEDED".equals(status)) {
            throw new ChildRunFailedException(
                    RunId.of(childRun), status, outcome.path("failure").toString());
        }
        return outcome.path("state");
    }

    /** The signal a finished child sends its parent. */
    public static String childSignal(String key) {
        return "child:" + key;
    }

    @Override
    public boolean isCancelled() {
        return control.isCancelled();
    }
}
