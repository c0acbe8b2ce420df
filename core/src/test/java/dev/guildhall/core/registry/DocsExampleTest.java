package dev.guildhall.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.Tier;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.registry.fixtures.good.RefundChecker;
import dev.guildhall.core.tool.ToolRegistry;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keeps the full example of docs/AGENTS.md loadable and runnable. */
class DocsExampleTest {

    private static String fullExample() throws IOException {
        String doc = Files.readString(Path.of("../docs/AGENTS.md"));
        int start = doc.indexOf("```yaml\nid: billing-specialist");
        int end = doc.indexOf("```", start + 7);
        return doc.substring(start + "```yaml\n".length(), end);
    }

    @Test
    void the_full_example_loads_and_runs_its_fallback() throws IOException {
        ToolRegistry tools = ToolRegistry.of(List.of(new RecordingTool("lookup-invoice", args -> Json.object())));
        AgentRegistry registry = AgentRegistry.builder()
                .tools(tools)
                .addAnnotated(RefundChecker.class)
                .loadDefinitions("billing.yaml", new StringReader(fullExample()))
                .build();

        DeclarativeAgent agent = (DeclarativeAgent) registry.get(AgentId.of("billing-specialist"));
        assertThat(agent.descriptor().tier()).isEqualTo(Tier.REVENUE);
        assertThat(agent.tools()).containsExactly("lookup-invoice");
        assertThat(agent.fallbackKind()).contains("rules");
        AgentResult result = Agents.run(agent, Map.of("message", "I want my money back"));
        assertThat(result.output().get("reply").asText())
                .isEqualTo("A specialist will review your refund, basic customer.");
        assertThat(result.nextSteps()).containsExactly("refund-checker");
    }
}
