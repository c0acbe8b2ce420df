package dev.guildhall.core.workflow.patterns;

import static dev.guildhall.core.workflow.patterns.TestAgents.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.NonRetryableException;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.Citation;
import dev.guildhall.core.json.Json;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExpertPanelTest {
    final TestAgents agents = new TestAgents();
    final CountDownLatch allExpertsAsked = new CountDownLatch(2);

    @AfterEach
    void close() {
        agents.close();
    }

    AgentResult expert(String view, String source) {
        allExpertsAsked.countDown();
        try {
            assertThat(allExpertsAsked.await(5, TimeUnit.SECONDS))
                    .as("experts are asked at the same time")
                    .isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return AgentResult.deterministic(Json.toTree(view), 0.8)
                .withCitations(List.of(new Citation(source, "", view, 1)));
    }

    @Test
    void asks_experts_in_parallel_and_keeps_each_contribution_attributed() {
        agents.add("legal", t -> expert("needs consent", "gdpr-art-7"))
                .add("finance", t -> expert("within budget", "budget-2026"))
                .add(
                        "chair",
                        t -> AgentResult.deterministic(
                                Json.object()
                                        .put("text", "go, with consent")
                                        .put(
                                                "heard",
                                                t.input().path("contributions").size()),
                                0.75));

        AgentResult r = agents.runPattern(
                ExpertPanel.builder()
                        .expert(id("legal"))
                        .expert(id("finance"))
                        .synthesiser(id("chair"))
                        .build(),
                "{\"question\":\"launch?\"}");

        assertThat(r.output().path("synthesis").path("heard").asInt()).isEqualTo(2);
        assertThat(r.output().path("contributions").get(0).path("expert").asText())
                .isEqualTo("legal");
        assertThat(r.output().path("contributions").get(1).path("output").asText())
                .isEqualTo("within budget");
        assertThat(r.citations()).extracting(Citation::source).containsExactly("gdpr-art-7", "budget-2026");
        assertThat(r.confidence()).isEqualTo(0.75);
    }

    @Test
    void goes_ahead_without_a_failed_expert_when_enough_answered() {
        agents.add("legal", t -> AgentResult.of(Json.toTree("fine")))
                .add("finance", t -> {
                    throw new NonRetryableException("ledger offline");
                })
                .add("chair", t -> AgentResult.of(Json.toTree("go")));

        AgentResult r = agents.runPattern(
                ExpertPanel.builder()
                        .expert(id("legal"))
                        .expert(id("finance"))
                        .synthesiser(id("chair"))
                        .minExperts(1)
                        .build(),
                "{}");

        assertThat(r.output().path("missing").get(0).path("expert").asText()).isEqualTo("finance");
        assertThat(r.output().path("contributions")).hasSize(1);
    }
}
