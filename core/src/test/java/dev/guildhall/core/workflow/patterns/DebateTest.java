package dev.guildhall.core.workflow.patterns;

import static dev.guildhall.core.workflow.patterns.TestAgents.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.json.Json;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DebateTest {
    final TestAgents agents =
            new TestAgents().add("judge", t -> AgentResult.deterministic(Json.parse("{\"decision\":\"B\"}"), 0.7));

    @AfterEach
    void close() {
        agents.close();
    }

    static Function<AgentTask, AgentResult> says(String position) {
        return t -> AgentResult.of(Json.object().put("position", position).put("argument", "because " + position));
    }

    /** Holds its first position, then adopts the most recent position of the other side. */
    static Function<AgentTask, AgentResult> persuadable(String first) {
        return t -> {
            var transcript = t.input().path("transcript");
            String position = transcript.isEmpty()
                    ? first
                    : transcript.get(0).path("position").asText();
            return AgentResult.of(Json.object().put("position", position));
        };
    }

    @Test
    void stops_after_the_first_round_when_everyone_agrees_and_skips_the_judge() {
        agents.add("a", says("A")).add("b", says(" a "));

        AgentResult r = agents.runPattern(
                Debate.builder()
                        .debater(id("a"))
                        .debater(id("b"))
                        .judge(id("judge"))
                        .rounds(3)
                        .build(),
                "{\"question\":\"which plan?\"}");

        assertThat(r.output().path("decidedBy").asText()).isEqualTo("consensus");
        assertThat(r.output().path("rounds").asInt()).isEqualTo(1);
        assertThat(r.output().path("stoppedEarly").asBoolean()).isTrue();
        assertThat(agents.callsTo("judge")).isZero();
    }

    @Test
    void debaters_see_the_previous_rounds_and_can_converge_in_a_later_round() {
        agents.add("a", persuadable("A")).add("b", persuadable("B"));

        AgentResult r = agents.runPattern(
                Debate.builder()
                        .debaters(List.of(id("a"), id("b")))
                        .judge(id("judge"))
                        .rounds(5)
                        .build(),
                "{\"question\":\"which plan?\"}");

        assertThat(r.output().path("rounds").asInt()).isEqualTo(2);
        assertThat(r.output().path("decision").asText()).isEqualTo("A");
        AgentTask secondRound = agents.tasks.stream()
                .filter(t -> t.input().path("round").asInt() == 2)
                .findFirst()
                .orElseThrow();
        assertThat(secondRound.input().path("transcript")).hasSize(2);
    }

    @Test
    void the_judge_decides_after_the_last_round_without_agreement() {
        agents.add("a", says("A")).add("b", says("B")).add("c", says("C"));

        AgentResult r = agents.runPattern(
                Debate.builder()
                        .debaters(List.of(id("a"), id("b"), id("c")))
                        .judge(id("judge"))
                        .rounds(2)
                        .build(),
                "{\"question\":\"which plan?\"}");

        assertThat(r.output().path("decidedBy").asText()).isEqualTo("judge");
        assertThat(r.output().path("decision").asText()).isEqualTo("B");
        assertThat(r.output().path("stoppedEarly").asBoolean()).isFalse();
        assertThat(agents.callsTo("judge")).isEqualTo(1);
        assertThat(agents.callsTo("a")).isEqualTo(2);
        AgentTask judgeTask = agents.tasks.get(agents.calls.indexOf("judge"));
        assertThat(judgeTask.input().path("transcript")).hasSize(6);
        assertThat(r.confidence()).isEqualTo(0.7);
    }
}
