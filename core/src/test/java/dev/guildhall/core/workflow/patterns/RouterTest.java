package dev.guildhall.core.workflow.patterns;

import static dev.guildhall.core.workflow.patterns.TestAgents.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.classify.Classification;
import dev.guildhall.core.classify.Classifier;
import dev.guildhall.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouterTest {
    final TestAgents agents = new TestAgents()
            .add("billing", t -> AgentResult.of(Json.toTree("billing answer")))
            .add("cards", t -> AgentResult.of(Json.toTree("cards answer")))
            .add("human", t -> AgentResult.of(Json.toTree("queued for a human")));

    // Keyword rules stand in for the trained router; the pattern only sees the Classifier interface.
    final Classifier classifier = text -> text.contains("refund")
            ? Classification.of("billing", 0.9)
            : text.contains("card")
                    ? Classification.of("cards", 0.4)
                    : text.contains("weather")
                            ? Classification.of(Classification.NONE_OF_THESE, 0.8)
                            : Classification.of("loans", 0.95);

    @AfterEach
    void close() {
        agents.close();
    }

    Router.Builder router() {
        return Router.builder()
                .classifier(classifier)
                .route("billing", id("billing"))
                .route("cards", id("cards"))
                .minConfidence(0.5);
    }

    @Test
    void dispatches_to_the_agent_of_the_classified_label() {
        AgentResult r = agents.runPattern(router().build(), "{\"message\":\"I want a refund\"}");

        assertThat(r.output().path("route").asText()).isEqualTo("billing");
        assertThat(r.output().path("output").asText()).isEqualTo("billing answer");
        assertThat(agents.calls).containsExactly("billing");
    }

    @Test
    void low_confidence_goes_to_the_fallback_agent() {
        AgentResult r = agents.runPattern(router().fallback(id("human")).build(), "{\"message\":\"my card?\"}");

        assertThat(r.output().path("route").asText()).isEqualTo("fallback");
        assertThat(agents.calls).containsExactly("human");
    }

    @Test
    void out_of_scope_without_a_fallback_escalates_instead_of_guessing() {
        AgentResult r = agents.runPattern(router().build(), "{\"message\":\"what is the weather\"}");

        assertThat(r.wantsEscalation()).isTrue();
        assertThat(r.output().path("reason").asText()).isEqualTo("out of scope");
        assertThat(agents.calls).isEmpty();
    }

    @Test
    void a_confident_label_without_a_route_escalates() {
        AgentResult r = agents.runPattern(router().build(), "{\"message\":\"mortgage rates\"}");

        assertThat(r.wantsEscalation()).isTrue();
        assertThat(r.output().path("reason").asText()).isEqualTo("no route for label loans");
    }

    @Test
    void an_agent_can_be_the_classifier() {
        agents.add(
                "intent",
                t -> AgentResult.deterministic(
                        Json.object()
                                .put("label", t.input().path("message").asText().contains("refund") ? "billing" : ""),
                        0.8));

        AgentResult routed = agents.runPattern(
                Router.builder()
                        .classifierAgent(id("intent"))
                        .route("billing", id("billing"))
                        .build(),
                "{\"message\":\"refund please\"}");
        AgentResult unsure = agents.runPattern(
                Router.builder()
                        .classifierAgent(id("intent"))
                        .route("billing", id("billing"))
                        .build(),
                "{\"message\":\"hello\"}");

        assertThat(routed.output().path("output").asText()).isEqualTo("billing answer");
        assertThat(unsure.wantsEscalation()).isTrue();
    }
}
