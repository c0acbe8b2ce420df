package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunsApiIT extends ServerTestSupport {

    @Test
    void health_is_open_and_everything_else_needs_authentication() {
        assertThat(http.get("/actuator/health", null).status()).isEqualTo(200);
        Http.Response ready = http.get("/actuator/health/readiness", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").asText()).isEqualTo("UP");
        assertThat(http.get("/actuator/health/liveness", null).status()).isEqualTo(200);
        assertProblem(http.get("/api/v1/runs", null), 401, "unauthenticated");
        assertProblem(http.get("/api/v1/agents", null), 401, "unauthenticated");
    }

    @Test
    void starts_a_support_desk_run_that_finishes_and_shows_its_steps() {
        String token = login("admin");
        Http.Response started = http.post(
                "/api/v1/runs",
                token,
                Http.json(Map.of("workflow", "support-desk", "input", Map.of("message", "I lost my card"))));
        assertThat(started.status()).as(started.raw().body()).isEqualTo(201);
        String id = started.json().get("id").asText();
        assertThat(started.header("Location")).isEqualTo("/api/v1/runs/" + id);
        assertThat(started.json().get("workspace").asText()).isEqualTo(DEMO);

        JsonNode done = awaitStatus(token, id, "SUCCEEDED");
        assertThat(done.get("state").has("classify")).isTrue();
        Http.Response steps = http.get("/api/v1/runs/" + id + "/steps", token);
        assertThat(steps.status()).isEqualTo(200);
        assertThat(steps.json().size()).isGreaterThanOrEqualTo(3);
        assertThat(steps.json().get(0).get("status").asText()).isEqualTo("PENDING");
        assertThat(steps.json().get(steps.json().size() - 1).get("status").asText())
                .isEqualTo("SUCCEEDED");
    }

    @Test
    void the_same_idempotency_key_returns_the_same_run() {
        String token = login("mia");
        String key = "order-" + UUID.randomUUID();
        String body = Http.json(Map.of("workflow", "support-desk", "input", Map.of("message", "refund please")));
        Http.Response first =
                http.send("POST", "/api/v1/runs", body, "Authorization", "Bearer " + token, "Idempotency-Key", key);
        Http.Response again =
                http.send("POST", "/api/v1/runs", body, "Authorization", "Bearer " + token, "Idempotency-Key", key);
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id").asText())
                .isEqualTo(first.json().get("id").asText());
        assertThat(again.json().get("idempotencyKey").asText()).isEqualTo(key);
    }

    @Test
    void lists_runs_newest_first_with_filters_and_cursor_pages() {
        String token = login("admin");
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(startRun(token, "page test " + i));
        }
        mine.forEach(id -> awaitStatus(token, id, "SUCCEEDED"));

        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Http.Response page = http.get(
                    "/api/v1/runs?workflow=support-desk&status=succeeded&limit=2"
                            + (cursor == null ? "" : "&cursor=" + cursor),
                    token);
            assertThat(page.status()).as(page.raw().body()).isEqualTo(200);
            assertThat(page.json().get("items").size()).isLessThanOrEqualTo(2);
            for (JsonNode run : page.json().get("items")) {
                assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
                assertThat(seen.add(run.get("id").asText())).as("no run twice").isTrue();
                order.add(run.get("createdAt").asText());
            }
            cursor = page.json().path("next").isTextual()
                    ? page.json().get("next").asText()
                    : null;
            pages++;
        } while (cursor != null && pages < 100);
        assertThat(seen).containsAll(mine);
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(order)
                .isSortedAccordingTo((a, b) -> java.time.Instant.parse(b).compareTo(java.time.Instant.parse(a)));

        Http.Response none = http.get("/api/v1/runs?status=cancelled&workflow=nope", token);
        assertThat(none.json().get("items")).isEmpty();
        assertThat(none.json().has("next")).isFalse();
    }

    @Test
    void cancel_signal_and_retry_answer_for_a_finished_run() {
        String token = login("admin");
        String id = startRun(token, "where is my transfer");
        awaitStatus(token, id, "SUCCEEDED");

        Http.Response cancelled = http.post("/api/v1/runs/" + id + "/cancel", token, "{\"reason\":\"test\"}");
        assertThat(cancelled.status()).isEqualTo(202);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("SUCCEEDED"); // A finished run stays as it is.

        assertProblem(
                http.post("/api/v1/runs/" + id + "/signals", token, "{\"name\":\"approve\",\"payload\":{}}"),
                409,
                "conflict");
        assertProblem(http.post("/api/v1/runs/" + id + "/retry", token, null), 409, "conflict");
    }

    @Test
    void lists_and_reads_workflows_and_agents_with_filters() {
        String token = login("vic");
        Http.Response workflows = http.get("/api/v1/workflows", token);
        assertThat(workflows.status()).isEqualTo(200);
        assertThat(workflows.json().findValuesAsText("id")).contains("support-desk");
        Http.Response one = http.get("/api/v1/workflows/support-desk", token);
        assertThat(one.json().get("start").asText()).isEqualTo("classify");
        assertThat(one.json().get("mermaid").asText()).contains("classify");

        Http.Response agents = http.get("/api/v1/agents", token);
        // The seven agents of examples/support-desk and the fourteen of the support pack.
        assertThat(agents.json().size()).isEqualTo(7 + 14);
        assertThat(agents.json().findValuesAsText("id")).contains("intent-classifier", "intent-router");
        JsonNode first = agents.json().get(0);
        String tier = first.get("tier").asText();
        Http.Response byTier = http.get("/api/v1/agents?tier=" + tier, token);
        assertThat(byTier.json().findValuesAsText("tier")).containsOnly(tier);
        String team = first.get("team").asText();
        Http.Response byTeam = http.get("/api/v1/agents?team=" + team, token);
        assertThat(byTeam.json().findValuesAsText("team")).containsOnly(team);
        if (first.get("capabilities").size() > 0) {
            String capability = first.get("capabilities").get(0).asText();
            Http.Response byCapability = http.get("/api/v1/agents?capability=" + capability, token);
            assertThat(byCapability.json().findValuesAsText("id"))
                    .contains(first.get("id").asText());
            for (JsonNode a : byCapability.json()) {
                assertThat(a.get("capabilities").toString()).contains(capability);
            }
        }
        Http.Response agent = http.get("/api/v1/agents/intent-classifier", token);
        assertThat(agent.status()).isEqualTo(200);
        assertThat(agent.json().get("id").asText()).isEqualTo("intent-classifier");
        assertThat(agent.json().get("source").asText()).doesNotContain("/");
        assertProblem(http.get("/api/v1/agents/nobody", token), 404, "not-found");
    }

    JsonNode awaitStatus(String token, String id, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    Http.Response r = http.get("/api/v1/runs/" + id, token);
                    assertThat(r.status()).isEqualTo(200);
                    last[0] = r.json();
                    assertThat(r.json().get("status").asText()).isEqualTo(status);
                });
        return last[0];
    }
}
