package dev.guildhall.packs.support.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrendAnalystTest {
    private final TrendAnalyst analyst = new TrendAnalyst();

    private JsonNode run(String task) {
        return analyst.run(
                        AgentTask.of(Json.parse(task)),
                        AgentContext.standalone(analyst.descriptor(), WorkspaceId.of("w")))
                .output();
    }

    @Test
    void a_doubling_intent_rises_a_halving_one_falls_and_small_noise_is_ignored() {
        JsonNode out = run(
                """
                {"current":  {"card_not_working": 40, "exchange_rate": 9, "top_up_failed": 3, "new_intent": 6},
                 "previous": {"card_not_working": 18, "exchange_rate": 20, "top_up_failed": 1}}""");

        assertThat(out.path("rising")).hasSize(2);
        assertThat(out.path("rising").get(0).path("intent").asText()).isEqualTo("card_not_working");
        assertThat(out.path("rising").get(0).path("change").asLong()).isEqualTo(22);
        assertThat(out.path("rising").get(1).path("intent").asText()).isEqualTo("new_intent");
        assertThat(out.path("falling")).hasSize(1);
        assertThat(out.path("falling").get(0).path("intent").asText()).isEqualTo("exchange_rate");
        // 1 -> 3 triples, but three messages are below the default minimum of five.
        assertThat(out.path("summary").asText())
                .doesNotContain("top_up_failed")
                .contains("card_not_working up 18 -> 40");
    }

    @Test
    void steady_volumes_report_no_trend() {
        TrendAnalyst.Trends t = TrendAnalyst.analyse(Map.of("a", 10L, "b", 12L), Map.of("a", 9L, "b", 11L), 5);
        assertThat(t.rising()).isEmpty();
        assertThat(t.falling()).isEmpty();
        assertThat(TrendAnalyst.summary(t)).isEqualTo("no intent moved sharply");
    }
}
