package dev.guildhall.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.agent.Tier;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.tool.ToolRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads 500 generated definitions and checks the result. Timing is deliberately not asserted here
 * (it depends on the machine); {@link RegistryLoadTiming} prints it and the bench module measures it.
 */
class BulkLoadTest {
    private static final int COUNT = 500;

    @TempDir
    Path dir;

    @Test
    void loads_five_hundred_definitions_and_answers_queries() {
        GeneratedDefinitions.write(dir, COUNT);
        ToolRegistry tools = ToolRegistry.of(List.of(new RecordingTool("lookup", args -> Json.object())));

        AgentRegistry registry =
                AgentRegistry.builder().tools(tools).loadDefinitions(dir).build();

        assertThat(registry.size()).isEqualTo(COUNT);
        assertThat(registry.query(AgentQuery.any().withTier(Tier.ESSENTIAL))).hasSize(COUNT / 4);
        assertThat(registry.query(AgentQuery.any().withTeam("billing"))).hasSize(COUNT / 5);
        assertThat(registry.query(AgentQuery.any().withCapability("cap-3"))).hasSize(COUNT / 10);
        assertThat(registry.query(AgentQuery.any()
                        .withCapability("shared")
                        .withTeam("council")
                        .withTier(Tier.ADVANCED)))
                .extracting(a -> a.descriptor().id().value())
                .hasSize(COUNT / 20)
                .isSorted()
                .startsWith("agent-0019");
        assertThat(registry.get(AgentId.of("agent-0042")).descriptor().source()).isEqualTo("sales/agent-0042.yaml");
    }

    @Test
    void generated_agents_run_their_fallbacks() {
        GeneratedDefinitions.write(dir, 8);
        ToolRegistry tools = ToolRegistry.of(List.of(new RecordingTool("lookup", args -> Json.object())));
        AgentRegistry registry =
                AgentRegistry.builder().tools(tools).loadDefinitions(dir).build();

        assertThat(Agents.run(registry.get(AgentId.of("agent-0000")), Map.of("message", "Where is invoice 42?"))
                        .output())
                .isEqualTo(Json.parse("{\"route\":\"invoices\"}"));
        assertThat(Agents.run(registry.get(AgentId.of("agent-0001")), Map.of("message", "my bill"))
                        .output()
                        .get("label")
                        .asText())
                .isEqualTo("invoice");
        assertThat(Agents.run(registry.get(AgentId.of("agent-0002")), Map.of("message", "x"))
                        .wantsEscalation())
                .isTrue();
        assertThat(Agents.run(registry.get(AgentId.of("agent-0003")), Map.of("message", "hi"))
                        .output())
                .isEqualTo(Json.parse("{\"text\":\"Thanks, we received: hi\",\"plan\":\"basic\"}"));
    }
}
