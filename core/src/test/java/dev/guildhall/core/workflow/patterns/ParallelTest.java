package dev.guildhall.core.workflow.patterns;

import static dev.guildhall.core.workflow.patterns.TestAgents.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.NonRetryableException;
import dev.guildhall.core.RetryableException;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.retry.RetryPolicy;
import dev.guildhall.core.workflow.RunResult;
import dev.guildhall.core.workflow.RunStatus;
import dev.guildhall.core.workflow.StartRequest;
import dev.guildhall.core.workflow.StepOptions;
import dev.guildhall.core.workflow.Workflow;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
    final TestAgents agents = new TestAgents();

    @AfterEach
    void close() {
        agents.close();
    }

    @Test
    void never_runs_more_branches_at_once_than_the_bound() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Parallel.Builder b = Parallel.builder().maxConcurrency(2);
        for (int i = 0; i < 6; i++) {
            agents.add("w" + i, task -> {
                peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    new CountDownLatch(1).await(30, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
                return AgentResult.of(Json.object());
            });
            b.branch("w" + i, id("w" + i));
        }

        AgentResult r = agents.runPattern(b.build(), "{}");

        assertThat(peak.get()).isEqualTo(2);
        assertThat(r.output().path("branches")).hasSize(6);
    }

    @Test
    void reports_branches_in_declaration_order_whatever_order_they_finish_in() {
        CountDownLatch slowMayFinish = new CountDownLatch(1);
        agents.add("slow", task -> {
            try {
                slowMayFinish.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return AgentResult.of(Json.toTree("slow"));
        });
        agents.add("fast", task -> {
            slowMayFinish.countDown();
            return AgentResult.of(Json.toTree("fast"));
        });

        AgentResult r = agents.runPattern(
                Parallel.builder()
                        .branch("a", id("slow"))
                        .branch("b", id("fast"))
                        .build(),
                "{}");

        assertThat(r.output().path("aggregate").toString()).isEqualTo("[\"slow\",\"fast\"]");
    }

    @Test
    void majority_aggregation_picks_the_most_common_answer_with_its_share_as_confidence() {
        agents.add("a", t -> AgentResult.of(Json.parse("{\"label\":\"refund\"}")))
                .add("b", t -> AgentResult.of(Json.parse("{\"label\":\"refund\"}")))
                .add("c", t -> AgentResult.of(Json.parse("{\"label\":\"card\"}")));

        AgentResult r = agents.runPattern(
                Parallel.builder()
                        .branch("a", id("a"))
                        .branch("b", id("b"))
                        .branch("c", id("c"))
                        .aggregate(Parallel.Aggregation.majority("label"))
                        .build(),
                "{}");

        assertThat(r.output().path("aggregate").path("label").asText()).isEqualTo("refund");
        assertThat(r.confidence()).isEqualTo(2.0 / 3);
    }

    @Test
    void tolerates_failed_branches_down_to_min_successes_and_reports_them() {
        agents.add("ok", t -> AgentResult.of(Json.toTree("fine"))).add("down", t -> {
            throw new NonRetryableException("provider down");
        });

        AgentResult r = agents.runPattern(
                Parallel.builder()
                        .branch("ok", id("ok"))
                        .branch("down", id("down"))
                        .minSuccesses(1)
                        .build(),
                "{}");

        assertThat(r.output().path("branches")).hasSize(1);
        assertThat(r.output().path("failures").get(0).path("error").asText()).contains("provider down");
    }

    @Test
    void fails_the_step_when_too_few_branches_succeed() {
        agents.add("ok", t -> AgentResult.of(Json.toTree("fine"))).add("down", t -> {
            throw new NonRetryableException("provider down");
        });

        RunResult r = agents.runStep(
                Parallel.builder()
                        .branch("ok", id("ok"))
                        .branch("down", id("down"))
                        .build(),
                "{}");

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.failure().message()).contains("only 1 of 2 branches succeeded, 2 needed");
    }

    @Test
    void a_retried_step_does_not_call_branches_that_already_succeeded() {
        AtomicInteger flaky = new AtomicInteger();
        agents.add("steady", t -> AgentResult.of(Json.toTree("steady"))).add("flaky", t -> {
            if (flaky.incrementAndGet() == 1) {
                throw new RetryableException("blip");
            }
            return AgentResult.of(Json.toTree("flaky"));
        });
        Parallel p = Parallel.builder()
                .branch("steady", id("steady"))
                .branch("flaky", id("flaky"))
                .build();
        Workflow wf = Workflow.builder("retry-parallel")
                .step(
                        "fan",
                        p,
                        StepOptions.builder()
                                .retry(RetryPolicy.builder()
                                        .maxAttempts(2)
                                        .initialInterval(Duration.ofMillis(1))
                                        .build())
                                .build())
                .build();

        RunResult r = agents.engine.run(wf, StartRequest.of(WorkspaceId.of("t"), Json.object()), Duration.ofSeconds(5));

        assertThat(r.succeeded()).isTrue();
        assertThat(agents.callsTo("steady")).isEqualTo(1);
        assertThat(agents.callsTo("flaky")).isEqualTo(2);
    }
}
