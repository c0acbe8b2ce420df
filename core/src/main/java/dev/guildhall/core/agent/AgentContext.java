package dev.guildhall.core.agent;

import dev.guildhall.core.Checks;
import dev.guildhall.core.RunId;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.gateway.ChatRequest;
import dev.guildhall.core.gateway.ChatResponse;
import dev.guildhall.core.gateway.ModelCall;
import dev.guildhall.core.gateway.ModelGateway;
import dev.guildhall.core.knowledge.KnowledgeSearch;
import dev.guildhall.core.tool.ToolContext;
import dev.guildhall.core.tool.ToolRegistry;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything an agent may use during one call: the run and workspace it serves, the model
 * gateway, its tools, the workspace's knowledge, a clock and a logger. Built by the engine for
 * each call; agents never build one except in tests.
 *
 * @param step the workflow step making the call (with {@code attempt}, the idempotency scope)
 * @param attempt 1 for the first try, 2 for the first retry, and so on
 */
public record AgentContext(
        RunId run,
        WorkspaceId workspace,
        @Nullable UserId user,
        AgentDescriptor agent,
        String step,
        int attempt,
        ModelGateway gateway,
        ToolRegistry tools,
        KnowledgeSearch knowledge,
        Clock clock,
        Logger log) {

    public AgentContext {
        Checks.notNull(run, "run");
        Checks.notNull(workspace, "workspace");
        Checks.notNull(agent, "agent");
        Checks.notBlank(step, "step");
        Checks.positive(attempt, "attempt");
        Checks.notNull(gateway, "gateway");
        Checks.notNull(tools, "tools");
        Checks.notNull(knowledge, "knowledge");
        Checks.notNull(clock, "clock");
        Checks.notNull(log, "log");
    }

    /** A context for calling {@code agent} outside any workflow: no model, no tools, no knowledge. */
    public static AgentContext standalone(AgentDescriptor agent, WorkspaceId workspace) {
        return new AgentContext(
                RunId.random(),
                workspace,
                null,
                agent,
                agent.id().value(),
                1,
                ModelGateway.disabled(),
                ToolRegistry.empty(),
                KnowledgeSearch.none(),
                Clock.systemUTC(),
                LoggerFactory.getLogger("guildhall.agent"));
    }

    public AgentContext withGateway(ModelGateway newGateway) {
        return new AgentContext(run, workspace, user, agent, step, attempt, newGateway, tools, knowledge, clock, log);
    }

    public AgentContext withTools(ToolRegistry newTools) {
        return new AgentContext(run, workspace, user, agent, step, attempt, gateway, newTools, knowledge, clock, log);
    }

    public AgentContext withKnowledge(KnowledgeSearch newKnowledge) {
        return new AgentContext(run, workspace, user, agent, step, attempt, gateway, tools, newKnowledge, clock, log);
    }

    /** Whether this agent may and can call a chat model now. */
    public boolean modelAvailable() {
        return agent.modelPolicy() != dev.guildhall.core.gateway.ModelPolicy.NONE && gateway.chatAvailable();
    }

    /** Who pays for a model call made by this agent in this run. */
    public ModelCall modelCall() {
        return new ModelCall(workspace, user, run, agent.id(), agent.modelPolicy());
    }

    public ChatResponse chat(ChatRequest request) {
        return gateway.chat(modelCall(), request);
    }

    /**
     * The key a side effect uses so that a retried attempt does it once: {@code run:step}. The
     * engine names a step visited again by a loop {@code step#n}, so each iteration gets its own key.
     */
    public String idempotencyKey() {
        return run.value() + ":" + step;
    }

    public ToolContext toolContext() {
        return new ToolContext(workspace, run, idempotencyKey());
    }
}
