package dev.guildhall.core.workflow.patterns;

import static dev.guildhall.core.workflow.patterns.TestAgents.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.Citation;
import dev.guildhall.core.json.Json;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VerificationTest {
    final TestAgents agents = new TestAgents()
            .add("writer", t -> AgentResult.of(Json.object()
                            .put("text", "draft " + t.input().path("attempt").asInt())
                            .put("sawFeedback", t.input().path("feedback").asText("")))
                    .withCitations(List.of(new Citation("faq-7", "Refunds", "Refunds take 5 days.", 0.9))))
            .add("human-desk", t -> AgentResult.of(Json.toTree("ticket opened")));

    @AfterEach
    void close() {
        agents.close();
    }

    @Test
    void passes_on_the_first_attempt_and_keeps_the_producers_citations() {
        agents.add("checker", t -> AgentResult.of(Json.parse("{\"passed\":true}")));

        AgentResult r = agents.runPattern(
                Verification.builder()
                        .producer(id("writer"))
                        .verifier(id("checker"))
                        .build(),
                "{}");

        assertThat(r.output().path("verified").asBoolean()).isTrue();
        assertThat(r.output().path("attempts").asInt()).isEqualTo(1);
        assertThat(r.citations()).extracting(Citation::source).containsExactly("faq-7");
    }

    @Test
    void retries_the_producer_with_the_verifiers_feedback() {
        agents.add(
                "checker",
                t -> AgentResult.of(
                        t.input().path("candidate").path("text").asText().equals("draft 2")
                                ? Json.parse("{\"passed\":true}")
                                : Json.parse("{\"passed\":false,\"feedback\":\"cite the refund policy\"}")));

        AgentResult r = agents.runPattern(
                Verification.builder()
                        .producer(id("writer"))
                        .verifier(id("checker"))
                        .maxAttempts(3)
                        .build(),
                "{}");

        assertThat(r.output().path("attempts").asInt()).isEqualTo(2);
        assertThat(r.output().path("answer").path("sawFeedback").asText()).isEqualTo("cite the refund policy");
    }

    @Test
    void escalates_after_k_rejections() {
        agents.add("checker", t -> AgentResult.of(Json.parse("{\"passed\":false,\"feedback\":\"not grounded\"}")));

        AgentResult r = agents.runPattern(
                Verification.builder()
                        .producer(id("writer"))
                        .verifier(id("checker"))
                        .maxAttempts(2)
                        .build(),
                "{}");

        assertThat(r.wantsEscalation()).isTrue();
        assertThat(r.output().path("verified").asBoolean()).isFalse();
        assertThat(r.output().path("feedback")).hasSize(2);
        assertThat(agents.callsTo("writer")).isEqualTo(2);
        assertThat(r.citations()).isEmpty();
    }

    @Test
    void hands_over_to_the_escalation_agent_when_one_is_set() {
        agents.add("checker", t -> AgentResult.of(Json.parse("{\"passed\":false,\"feedback\":\"no\"}")));

        AgentResult r = agents.runPattern(
                Verification.builder()
                        .producer(id("writer"))
                        .verifier(id("checker"))
                        .maxAttempts(1)
                        .escalateTo(id("human-desk"))
                        .build(),
                "{}");

        assertThat(r.output().path("escalation").asText()).isEqualTo("ticket opened");
        assertThat(agents.calls).containsExactly("writer", "checker", "human-desk");
    }
}
