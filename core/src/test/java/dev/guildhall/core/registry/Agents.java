package dev.guildhall.core.registry;

import dev.guildhall.core.RunId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.gateway.ModelGateway;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.knowledge.KnowledgeSearch;
import dev.guildhall.core.tool.ToolRegistry;
import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** Object mother for registry tests: registries from YAML text, contexts with a fixed clock, tasks. */
final class Agents {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-14T09:30:00Z"), ZoneOffset.UTC);
    static final RunId RUN = RunId.of("run-1");
    static final WorkspaceId WORKSPACE = WorkspaceId.of("acme");

    private Agents() {}

    /** A registry holding the agents of one YAML source. */
    static AgentRegistry registryOf(String name, String yaml) {
        return AgentRegistry.builder()
                .loadDefinitions(name, new StringReader(yaml))
                .build();
    }

    static AgentRegistry registryOf(String name, String yaml, ToolRegistry tools) {
        return AgentRegistry.builder()
                .tools(tools)
                .loadDefinitions(name, new StringReader(yaml))
                .build();
    }

    /** The only agent of {@code yaml}. */
    static Agent agentOf(String yaml) {
        return registryOf("agent.yaml", yaml).all().get(0);
    }

    /** A context for {@code agent} in step "answer", attempt 1: no model, no tools, no knowledge. */
    static AgentContext contextFor(Agent agent) {
        return new AgentContext(
                RUN,
                WORKSPACE,
                null,
                agent.descriptor(),
                "answer",
                1,
                ModelGateway.disabled(),
                ToolRegistry.empty(),
                KnowledgeSearch.none(),
                CLOCK,
                LoggerFactory.getLogger("test"));
    }

    static AgentTask task(Map<String, ?> input) {
        return AgentTask.ofValue(input);
    }

    static AgentResult run(Agent agent, Map<String, ?> input) {
        return agent.run(task(input), contextFor(agent));
    }

    static String json(Object value) {
        return Json.write(value);
    }
}
