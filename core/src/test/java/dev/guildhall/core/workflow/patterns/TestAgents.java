package dev.guildhall.core.workflow.patterns;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentDescriptor;
import dev.guildhall.core.agent.AgentLookup;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.retry.RetryPolicy;
import dev.guildhall.core.workflow.RunResult;
import dev.guildhall.core.workflow.StartRequest;
import dev.guildhall.core.workflow.Step;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.WorkflowEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Small deterministic agents for pattern tests, and an engine that knows them. */
final class TestAgents implements AgentLookup, AutoCloseable {
    final Map<AgentId, Agent> agents = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<AgentTask> tasks = new CopyOnWriteArrayList<>();
    final WorkflowEngine engine = WorkflowEngine.builder().agents(this).build();

    static AgentId id(String id) {
        return AgentId.of(id);
    }

    TestAgents add(String id, Function<AgentTask, AgentResult> behaviour) {
        AgentDescriptor d = new AgentDescriptor(
                AgentId.of(id),
                id,
                "",
                dev.guildhall.core.agent.Tier.OPERATIONAL,
                "",
                null,
                dev.guildhall.core.gateway.ModelPolicy.NONE,
                Duration.ofSeconds(5),
                RetryPolicy.NONE,
                "test");
        agents.put(d.id(), new Agent() {
            @Override
            public AgentDescriptor descriptor() {
                return d;
            }

            @Override
            public AgentResult run(AgentTask task, AgentContext context) {
                calls.add(id);
                tasks.add(task);
                return behaviour.apply(task);
            }
        });
        return this;
    }

    long callsTo(String id) {
        return calls.stream().filter(id::equals).count();
    }

    @Override
    public Optional<Agent> find(AgentId id) {
        return Optional.ofNullable(agents.get(id));
    }

    /** Runs one pattern as a one-node workflow and returns its result. */
    AgentResult runPattern(PatternStep pattern, String inputJson) {
        RunResult r = runStep(pattern, inputJson);
        if (!r.succeeded()) {
            throw new AssertionError("run ended " + r.status() + ": " + r.failure());
        }
        return r.state().get(pattern.output());
    }

    RunResult runStep(Step step, String inputJson) {
        Workflow wf = Workflow.builder("pattern-" + System.identityHashCode(step))
                .step("pattern", step)
                .build();
        return engine.run(wf, StartRequest.of(WorkspaceId.of("test"), Json.parse(inputJson)), Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        engine.close();
    }
}
