package dev.guildhall.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.json.Json;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentResultTest {
    final AgentResult full = new AgentResult(
            Json.parse("{\"text\":\"Refunds take 5 days.\",\"n\":[1,2]}"),
            0.82,
            List.of(new Citation("faq-7", "Refunds", "Refunds take 5 days.", 0.91)),
            List.of("escalate", "billing"),
            new AgentUsage(2, 340, 52, new BigDecimal("0.000123")),
            ResultMode.MODEL);

    @Test
    void builds_the_same_json_jackson_writes() {
        assertThat(full.toJson()).isEqualTo(Json.mapper().valueToTree(full));
        AgentResult plain = AgentResult.of("ok");
        assertThat(plain.toJson()).isEqualTo(Json.mapper().valueToTree(plain));
    }

    @Test
    void reads_back_from_its_own_json() {
        assertThat(Json.convert(full.toJson(), AgentResult.class)).isEqualTo(full);
    }
}
