package dev.guildhall.packs.support.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.json.Json;
import org.junit.jupiter.api.Test;

class SlaWatchTest {
    private final SlaWatch watch = new SlaWatch();

    @Test
    void unanswered_and_long_open_conversations_breach_longest_wait_first() {
        JsonNode out = watch.run(
                        AgentTask.of(
                                Json.parse(
                                        """
                                {"now": "2026-11-22T12:00:00Z", "responseMinutes": 30, "resolutionHours": 24,
                                 "conversations": [
                                   {"id": "answered", "status": "waiting", "createdAt": "2026-11-22T09:00:00Z",
                                    "lastCustomerMessageAt": "2026-11-22T09:00:00Z", "lastReplyAt": "2026-11-22T09:00:01Z"},
                                   {"id": "escalated", "status": "escalated", "createdAt": "2026-11-22T10:00:00Z",
                                    "lastCustomerMessageAt": "2026-11-22T10:00:00Z"},
                                   {"id": "new", "status": "open", "createdAt": "2026-11-22T11:50:00Z",
                                    "lastCustomerMessageAt": "2026-11-22T11:50:00Z"},
                                   {"id": "old", "status": "waiting", "createdAt": "2026-11-20T12:00:00Z",
                                    "lastCustomerMessageAt": "2026-11-20T12:00:00Z", "lastReplyAt": "2026-11-20T12:00:05Z"},
                                   {"id": "staff-late", "status": "open", "createdAt": "2026-11-22T11:00:00Z",
                                    "lastCustomerMessageAt": "2026-11-22T11:20:00Z", "lastReplyAt": "2026-11-22T11:10:00Z"}
                                 ]}""")),
                        AgentContext.standalone(watch.descriptor(), WorkspaceId.of("w")))
                .output();

        JsonNode b = out.path("breaches");
        assertThat(b).hasSize(3);
        assertThat(b.get(0).path("id").asText()).isEqualTo("old");
        assertThat(b.get(0).path("kind").asText()).isEqualTo("unresolved");
        assertThat(b.get(1).path("id").asText()).isEqualTo("escalated");
        assertThat(b.get(1).path("kind").asText()).isEqualTo("escalated-unanswered");
        assertThat(b.get(1).path("waitingMinutes").asLong()).isEqualTo(120);
        assertThat(b.get(2).path("id").asText()).isEqualTo("staff-late");
        assertThat(b.get(2).path("kind").asText()).isEqualTo("customer-waiting");
    }
}
