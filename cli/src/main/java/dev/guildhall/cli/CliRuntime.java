package dev.guildhall.cli;

import dev.guildhall.core.cost.CostLedger;
import dev.guildhall.core.cost.InMemoryBudgetStore;
import dev.guildhall.core.gateway.ModelGateway;
import dev.guildhall.core.jobs.WorkerOptions;
import dev.guildhall.core.registry.AgentRegistry;
import dev.guildhall.core.workflow.RunListener;
import dev.guildhall.core.workflow.WorkflowEngine;
import dev.guildhall.core.workflow.WorkflowRegistry;
import dev.guildhall.knowledge.collection.Embedder;
import dev.guildhall.knowledge.collection.KnowledgeBase;
import dev.guildhall.providers.GatewayConfig;
import dev.guildhall.store.jdbc.DurableRuntime;
import dev.guildhall.store.jdbc.JdbcCostLedger;
import dev.guildhall.store.jdbc.JdbcDatabase;
import dev.guildhall.store.jdbc.JdbcRunStore;
import dev.guildhall.store.jdbc.JdbcSignalInbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one CLI invocation runs on: the database, agents, the model gateway, the cost ledger and an
 * engine. The engine drives runs in this process and stores them (and their checkpoints) in the
 * database; {@link #durable} gives a node of durable execution on the same database instead, for
 * submitting runs to the queue and for workers.
 */
final class CliRuntime implements AutoCloseable {
    final JdbcDatabase database;
    final AgentRegistry agents;
    final GatewayConfig gatewayConfig;
    final CostLedger ledger;
    final ModelGateway gateway;
    final WorkflowEngine engine;
    final KnowledgeBase knowledge;
    final Clock clock;
    private @Nullable DurableRuntime durable;

    private CliRuntime(
            JdbcDatabase database,
            AgentRegistry agents,
            GatewayConfig gatewayConfig,
            CostLedger ledger,
            ModelGateway gateway,
            WorkflowEngine engine,
            KnowledgeBase knowledge,
            Clock clock) {
        this.database = database;
        this.agents = agents;
        this.gatewayConfig = gatewayConfig;
        this.ledger = ledger;
        this.gateway = gateway;
        this.engine = engine;
        this.knowledge = knowledge;
        this.clock = clock;
    }

    /** Loads agents from {@code agentSources} (directories or files), opens the database and wires the engine. */
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
        Clock clock = Clock.systemUTC();
        JdbcDatabase database = root.openDatabase();
        // Agents search the run's workspace's collections; the embedding model loads on the first search.
        KnowledgeBase knowledge = new KnowledgeBase(root.dataDir(), Embedder.bgeSmallEnV15Quantized());
        try {
            CostLedger ledger = new JdbcCostLedger(database.dataSource());
            ModelGateway gateway = config.createGateway(ledger, new InMemoryBudgetStore(), clock);
            WorkflowEngine engine = WorkflowEngine.builder()
                    .agents(agents)
                    .gateway(gateway)
                    .listener(listener)
                    .knowledge(knowledge::searchFor)
                    .store(new JdbcRunStore(database.dataSource()))
                    .inbox(new JdbcSignalInbox(database.dataSource(), clock, false))
                    .clock(clock)
                    .build();
            return new CliRuntime(database, agents, config, ledger, gateway, engine, knowledge, clock);
        } catch (RuntimeException e) {
            knowledge.close();
            database.close();
            throw e;
        }
    }

    /**
     * A durable node on this database with these agents and gateway, serving {@code workflows}; not
     * started (call {@link DurableRuntime#start()} to drive runs here). Closed with this runtime.
     */
    DurableRuntime durable(WorkerOptions options, WorkflowRegistry workflows, RunListener listener) {
        if (durable == null) {
            durable = DurableRuntime.open(database, clock, options, b -> b.workflows(workflows)
                    .agents(agents)
                    .gateway(gateway)
                    .knowledge(knowledge::searchFor)
                    .listener(listener));
        }
        return durable;
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
            if (durable != null) {
                durable.close();
            }
            engine.close();
        } finally {
            try {
                knowledge.close();
            } finally {
                database.close();
            }
        }
    }
}
