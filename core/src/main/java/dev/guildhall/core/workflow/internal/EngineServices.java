package dev.guildhall.core.workflow.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.RunId;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.agent.AgentLookup;
import dev.guildhall.core.gateway.ModelGateway;
import dev.guildhall.core.knowledge.KnowledgeSearch;
import dev.guildhall.core.tool.ToolRegistry;
import dev.guildhall.core.workflow.RunRef;
import dev.guildhall.core.workflow.SignalInbox;
import dev.guildhall.core.workflow.Workflow;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the engine lends to step contexts. */
public record EngineServices(
        AgentLookup agents,
        ModelGateway gateway,
        ToolRegistry tools,
        Function<WorkspaceId, KnowledgeSearch> knowledge,
        Clock clock,
        SignalInbox inbox,
        Attempts attempts,
        ExecutorService executor,
        ChildStarter children,
        CallRecorder recorder,
        Map<String, Logger> agentLoggers) {

    /** The logger of one agent, made once per engine rather than looked up on every call. */
    public Logger agentLogger(String agentId) {
        return agentLoggers.computeIfAbsent(agentId, id -> LoggerFactory.getLogger("guildhall.agent." + id));
    }

    /** Where a step's journaled results also go as they happen (durable mode), or nowhere. */
    @FunctionalInterface
    public interface CallRecorder {
        CallRecorder NONE = (run, step, key, result) -> {};

        void record(RunId run, String step, String key, JsonNode result);
    }

    /** Starts sub-workflow runs on behalf of a step. */
    @FunctionalInterface
    public interface ChildStarter {
        /** @param step the parent's step ({@code node} or {@code node#visit}) that starts the child */
        RunId start(RunRef parent, UserId user, String step, String key, Workflow child, JsonNode input);
    }
}
