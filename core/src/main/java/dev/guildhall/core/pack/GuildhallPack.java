package dev.guildhall.core.pack;

import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.tool.Tool;
import dev.guildhall.core.tool.ToolRegistry;
import java.util.List;

/**
 * A product on the platform (support, bidding, revops, campaigns), contributing its agents and
 * tools. Packs are found with {@link java.util.ServiceLoader}: list the implementation in {@code
 * META-INF/services/dev.guildhall.core.pack.GuildhallPack}. It needs a public no-argument
 * constructor and must be cheap to construct; real work belongs in the methods below, which the
 * loader calls once at start-up.
 *
 * <p>A pack contributes agents in any mix of three ways: YAML definitions on its class path
 * ({@link #definitionResources()}), classes carrying {@link dev.guildhall.core.agent.GuildhallAgent}
 * ({@link #agentClasses()}) and agents built in code ({@link #agents(ToolRegistry)}). All are
 * checked together by {@link PackLoader#load}.
 */
public interface GuildhallPack {

    /** A unique id; two packs with one id fail start-up rather than one silently winning. */
    PackId id();

    /** Tools this pack provides to agents (of any pack); names must be unique across packs. */
    default List<Tool> tools() {
        return List.of();
    }

    /**
     * Class path resources holding YAML agent definitions, such as {@code
     * guildhall/support/agents/router.yaml}, read with this pack's class loader. Missing resources
     * fail loading.
     */
    default List<String> definitionResources() {
        return List.of();
    }

    /**
     * Called once by the host before {@link #agents(ToolRegistry)}, with the data directory, the
     * clock and the host's services. A pack that builds agents needing collaborators (per-workspace
     * state, files) creates them here. The default does nothing; {@link PackLoader#load(List)}
     * without a context does not call it.
     */
    default void start(PackContext context) {}

    /**
     * Class path resources holding YAML workflow definitions ({@code
     * dev.guildhall.core.workflow.definition.WorkflowDefinitions}), read with this pack's class
     * loader once every pack's agents are loaded, so a workflow may use any pack's agents.
     */
    default List<String> workflowResources() {
        return List.of();
    }

    /** Classes carrying {@link dev.guildhall.core.agent.GuildhallAgent} to instantiate. */
    default List<Class<? extends Agent>> agentClasses() {
        return List.of();
    }

    /**
     * Agents built in code, for agents needing collaborators.
     *
     * @param tools every tool of every loaded pack
     */
    default List<Agent> agents(ToolRegistry tools) {
        return List.of();
    }
}
