package dev.guildhall.server;

import dev.guildhall.bus.redis.RedisBusSettings;
import dev.guildhall.bus.redis.RedisStreamsEventBus;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.bus.EventBus;
import dev.guildhall.core.bus.InMemoryEventBus;
import dev.guildhall.core.gateway.ModelGateway;
import dev.guildhall.core.jobs.WorkerOptions;
import dev.guildhall.core.pack.LoadedPacks;
import dev.guildhall.core.registry.AgentRegistry;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.WorkflowRegistry;
import dev.guildhall.core.workflow.definition.WorkflowDefinitions;
import dev.guildhall.core.workspace.Workspace;
import dev.guildhall.knowledge.collection.Embedder;
import dev.guildhall.knowledge.collection.KnowledgeBase;
import dev.guildhall.providers.GatewayConfig;
import dev.guildhall.store.jdbc.DurableRuntime;
import dev.guildhall.store.jdbc.JdbcApiKeyStore;
import dev.guildhall.store.jdbc.JdbcAuditLog;
import dev.guildhall.store.jdbc.JdbcBudgetStore;
import dev.guildhall.store.jdbc.JdbcCostLedger;
import dev.guildhall.store.jdbc.JdbcDatabase;
import dev.guildhall.store.jdbc.JdbcExternalIdentityStore;
import dev.guildhall.store.jdbc.JdbcIdentityStore;
import dev.guildhall.store.jdbc.JdbcSettings;
import dev.guildhall.store.jdbc.JdbcWorkflowDefinitions;
import dev.guildhall.store.jdbc.JdbcWorkspaceRuns;
import dev.guildhall.store.jdbc.JdbcWorkspaceStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One durable node: the database, the engine with its worker, the outbox relay to the event bus,
 * and the catalogue of agents and workflows. Embedded defaults (H2 file, in-process bus) unless
 * {@code GUILDHALL_DB_URL} / {@code GUILDHALL_REDIS_URL} say otherwise.
 */
@Configuration(proxyBeanMethods = false)
class RuntimeConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeConfiguration.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    JdbcDatabase jdbcDatabase(ServerSettings settings) throws java.io.IOException {
        ServerSettings.Db db = settings.db();
        if (db.embedded()) {
            Files.createDirectories(settings.dataPath());
            return JdbcDatabase.open(JdbcSettings.embedded(settings.dataPath()));
        }
        return JdbcDatabase.open(new JdbcSettings(db.url(), blankToNull(db.user()), blankToNull(db.password())));
    }

    @Bean(destroyMethod = "close")
    EventBus eventBus(ServerSettings settings, Clock clock) {
        if (settings.redis().enabled()) {
            return RedisStreamsEventBus.connect(
                    RedisBusSettings.builder().uri(settings.redis().url()).build(), clock);
        }
        return InMemoryEventBus.create();
    }

    /** Only with Redis configured; readiness lists {@code redis} and skips it when it is absent. */
    @Bean(name = "redis", destroyMethod = "close")
    @org.springframework.context.annotation.Conditional(RedisConfigured.class)
    RedisHealth redisHealth(ServerSettings settings) {
        return new RedisHealth(settings.redis().url());
    }

    static final class RedisConfigured implements org.springframework.context.annotation.Condition {
        @Override
        public boolean matches(
                org.springframework.context.annotation.ConditionContext context,
                org.springframework.core.type.AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("guildhall.redis.url");
            return url != null && !url.isBlank();
        }
    }

    @Bean
    JdbcCostLedger costLedger(JdbcDatabase database) {
        return new JdbcCostLedger(database.dataSource());
    }

    @Bean
    JdbcBudgetStore budgetStore(JdbcDatabase database) {
        return new JdbcBudgetStore(database.dataSource());
    }

    @Bean
    JdbcWorkflowDefinitions workflowDefinitions(JdbcDatabase database) {
        return new JdbcWorkflowDefinitions(database.dataSource());
    }

    @Bean
    WorkspaceCatalog workspaceCatalog(ServerSettings settings, JdbcWorkflowDefinitions definitions, LoadedPacks packs)
            throws java.io.IOException {
        Path examples = settings.demo().examplesDir();
        AgentRegistry.Builder registry = AgentRegistry.builder();
        List<Workflow> workflows = new ArrayList<>();
        Map<String, String> yaml = new HashMap<>();
        // Packs' agents and workflows run in every workspace the pack serves (ServerPacks).
        packs.agents().all().forEach(registry::add);
        workflows.addAll(packs.workflows());
        if (examples != null && Files.isDirectory(examples)) {
            Path agents = examples.resolve("agents");
            if (Files.isDirectory(agents)) {
                registry.loadDefinitions(agents);
            }
            AgentRegistry built = registry.build();
            Path workflow = examples.resolve("workflow.yaml");
            if (Files.isRegularFile(workflow)) {
                Workflow w = WorkflowDefinitions.load(workflow, built);
                workflows.add(w);
                yaml.put(w.id(), Files.readString(workflow, StandardCharsets.UTF_8));
            }
            return new WorkspaceCatalog(built, workflows, yaml, definitions);
        }
        LOG.warn("Demo examples not found at {}; there are no shared agents or workflows", examples);
        return new WorkspaceCatalog(registry.build(), workflows, yaml, definitions);
    }

    @Bean(destroyMethod = "close")
    KnowledgeBase knowledgeBase(ServerSettings settings) {
        // The embedding model loads on the first search, not here.
        return new KnowledgeBase(settings.dataPath(), Embedder.bgeSmallEnV15Quantized());
    }

    @Bean(destroyMethod = "close")
    DurableRuntime durableRuntime(
            JdbcDatabase database,
            EventBus bus,
            WorkspaceCatalog catalog,
            KnowledgeBase knowledge,
            ServerSettings settings,
            MeteredCostLedger ledger,
            JdbcBudgetStore budgets,
            MeterRegistry meters,
            RunLogContext.StepThreads stepThreads,
            Clock clock) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(settings.gatewayEnv());
        GatewayConfig gatewayConfig = GatewayConfig.resolve(null, env);
        ModelGateway gateway = gatewayConfig.createGateway(ledger, budgets, clock);
        String node = "server-" + UUID.randomUUID().toString().substring(0, 8);
        DurableRuntime runtime = DurableRuntime.open(
                database, clock, WorkerOptions.defaults(node), b -> b.workflows(new WorkflowRegistry(catalog::resolve))
                        .agents(catalog.registry())
                        .gateway(gateway)
                        .knowledge(knowledge::searchFor)
                        .executor(stepThreads.executor())
                        .listener(new RunLogContext(new RunMetrics(meters, RunMetrics.agentsOf(catalog)))));
        RunMetrics.registerQueueGauges(meters, runtime.queue()::stats, clock);
        catalog.allWorkflows().forEach(runtime.engine().workflows()::register);
        ensureWorkspace(
                new JdbcWorkspaceStore(database.dataSource()), settings.demo().workspace(), clock);
        return runtime.start().relayTo(bus);
    }

    /**
     * The engine's threads for steps: unbounded (steps block on I/O), daemon, and carrying the
     * logging context of the run that submitted the step. Shut down after the runtime closes.
     */
    @Bean(destroyMethod = "close")
    RunLogContext.StepThreads stepThreads() {
        return RunLogContext.StepThreads.create();
    }

    /**
     * The gateway's cost ledger, counting calls, tokens and cost by model as it records them; the one
     * ledger everything else asks for (reads pass straight through to the JDBC ledger).
     */
    @Bean
    @org.springframework.context.annotation.Primary
    MeteredCostLedger meteredCostLedger(JdbcCostLedger ledger, MeterRegistry meters) {
        return new MeteredCostLedger(ledger, meters);
    }

    @Bean
    JdbcWorkspaceRuns workspaceRuns(JdbcDatabase database, DurableRuntime runtime) {
        return new JdbcWorkspaceRuns(database.dataSource(), runtime.store());
    }

    @Bean
    JdbcWorkspaceStore workspaceStore(JdbcDatabase database) {
        return new JdbcWorkspaceStore(database.dataSource());
    }

    @Bean
    JdbcAuditLog auditLog(JdbcDatabase database) {
        return new JdbcAuditLog(database.dataSource());
    }

    @Bean
    JdbcIdentityStore identityStore(JdbcDatabase database) {
        return new JdbcIdentityStore(database.dataSource());
    }

    @Bean
    JdbcExternalIdentityStore externalIdentityStore(JdbcDatabase database) {
        return new JdbcExternalIdentityStore(database.dataSource());
    }

    @Bean
    JdbcApiKeyStore apiKeyStore(JdbcDatabase database) {
        return new JdbcApiKeyStore(database.dataSource());
    }

    private static void ensureWorkspace(JdbcWorkspaceStore workspaces, String id, Clock clock) {
        WorkspaceId workspace = WorkspaceId.of(id);
        if (workspaces.find(workspace).isEmpty()) {
            try {
                workspaces.create(new Workspace(workspace, id, clock.instant()));
            } catch (IllegalArgumentException e) {
                // Another node created it between the look and the insert.
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
