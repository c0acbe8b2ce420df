package dev.guildhall.cli;

import dev.guildhall.core.cost.InMemoryBudgetStore;
import dev.guildhall.core.gateway.ModelGateway;
import dev.guildhall.core.registry.AgentRegistry;
import dev.guildhall.core.workflow.RunListener;
import dev.guildhall.core.workflow.WorkflowEngine;
import dev.guildhall.knowledge.collection.Embedder;
import dev.guildhall.knowledge.collection.KnowledgeBase;
import dev.guildhall.providers.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** What one CLI invocation runs on: agents, the model gateway, the cost ledger and an engine. */
final class CliRuntime implements AutoCloseable {
    final AgentRegistry agents;
    final GatewayConfig gatewayConfig;
    final JsonLinesCostLedger ledger;
    final ModelGateway gateway;
    final WorkflowEngine engine;
    final KnowledgeBase knowledge;

    private CliRuntime(
            AgentRegistry agents,
            GatewayConfig gatewayConfig,
            JsonLinesCostLedger ledger,
            ModelGateway gateway,
            WorkflowEngine engine,
            KnowledgeBase knowledge) {
        this.agents = agents;
        this.gatewayConfig = gatewayConfig;
        this.ledger = ledger;
        this.gateway = gateway;
        this.engine = engine;
        this.knowledge = knowledge;
    }

    /** Loads agents from {@code agentSources} (directories or files) and wires the engine. */
    static CliRuntime create(GuildhallCli root, List<Path> agentSources, RunListener listener) {
        AgentRegistry.Builder registry = AgentRegistry.builder();
        for (Path source : agentSources) {
            if (!Files.exists(source)) {
                throw new IllegalArgumentException("agent definitions not found: " + source);
            }
            registry.loadDefinitions(source);
        }
        AgentRegistry agents = registry.build();
        GatewayConfig config = GatewayConfig.resolve(root.configFile(), root.env);
        JsonLinesCostLedger ledger = ledger(root);
        Clock clock = Clock.systemUTC();
        ModelGateway gateway = config.createGateway(ledger, new InMemoryBudgetStore(), clock);
        // Agents search the run's workspace's collections; the embedding model loads on the first search.
        KnowledgeBase knowledge = new KnowledgeBase(root.dataDir(), Embedder.bgeSmallEnV15Quantized());
        WorkflowEngine engine = WorkflowEngine.builder()
                .agents(agents)
                .gateway(gateway)
                .listener(listener)
                .knowledge(knowledge::searchFor)
                .clock(clock)
                .build();
        return new CliRuntime(agents, config, ledger, gateway, engine, knowledge);
    }

    static JsonLinesCostLedger ledger(GuildhallCli root) {
        return new JsonLinesCostLedger(root.dataDir().resolve("cost-ledger.jsonl"));
    }

    /** One line on how models are set up, so nobody mistakes a deterministic answer for a generated one. */
    String modelsLine() {
        return gateway.chatAvailable()
                ? "models: " + gatewayConfig.options().chatRoutes()
                : "models: none configured — agents take their deterministic paths (rules, templates, classification);"
                        + " nothing is generated";
    }

    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            knowledge.close();
        }
    }
}
