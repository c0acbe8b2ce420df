package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ObservabilityIT extends ServerTestSupport {

    @Test
    void the_openapi_document_is_open_and_lists_every_endpoint_with_its_problems() {
        Http.Response r = http.get("/v3/api-docs", null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode paths = r.json().get("paths");
        assertThat(paths.has("/api/v1/runs")).isTrue();
        assertThat(paths.has("/api/v1/runs/{id}/events")).isTrue();
        assertThat(paths.has("/api/v1/agents/{id}")).isTrue();
        assertThat(paths.has("/api/v1/auth/login")).isTrue();
        JsonNode getRun = paths.get("/api/v1/runs/{id}").get("get").get("responses");
        assertThat(getRun.has("401")).isTrue();
        assertThat(getRun.has("404")).isTrue();
        assertThat(getRun.get("404").get("content").has("application/problem+json"))
                .isTrue();
        JsonNode register = paths.get("/api/v1/workflows").get("post").get("responses");
        assertThat(register.has("422"))
                .as("a definition's errors are documented")
                .isTrue();
        assertThat(register.has("413")).isTrue();
        JsonNode removeMember = paths.get("/api/v1/workspaces/{id}/members/{userId}")
                .get("delete")
                .get("responses");
        assertThat(removeMember.has("404")).isTrue();
        assertThat(removeMember.has("409")).as("the last owner stays").isTrue();
        assertThat(r.json().get("components").get("securitySchemes").has("apiKey"))
                .isTrue();
        assertThat(http.get("/swagger-ui/index.html", null).status()).isEqualTo(200);
    }

    @org.springframework.beans.factory.annotation.Autowired
    MeteredCostLedger ledger;

    @Test
    void prometheus_shows_run_counters_and_queue_depth_to_a_scope_holder_only() {
        String owner = login("admin");
        String run = startRun(owner, "metrics");
        // No model is configured in tests; record a call the way the gateway does after one.
        ledger.record(new dev.guildhall.core.cost.CostEntry(
                java.time.Instant.now(),
                dev.guildhall.core.WorkspaceId.of(DEMO),
                null,
                null,
                dev.guildhall.core.AgentId.of("faq-answerer"),
                dev.guildhall.core.cost.CostEntry.Kind.CHAT,
                "openai",
                "gpt-4o-mini",
                dev.guildhall.core.gateway.ModelPolicy.CHEAP,
                dev.guildhall.core.gateway.ModelPolicy.CHEAP,
                1200,
                300,
                false,
                Duration.ofMillis(420),
                new java.math.BigDecimal("0.00036"),
                false,
                false));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> http.get("/api/v1/runs/" + run, owner)
                                .json()
                                .path("status")
                                .asText(),
                        "SUCCEEDED"::equals);

        assertProblem(http.get("/actuator/prometheus", null), 401, "unauthenticated");
        assertProblem(http.get("/actuator/prometheus", login("mia")), 403, "forbidden");
        Http.Response metrics = http.send(
                "GET", "/actuator/prometheus", null, "Authorization", "Bearer " + owner, "Accept", "text/plain");
        assertThat(metrics.status()).isEqualTo(200);
        String body = metrics.raw().body();
        assertThat(body).containsPattern("guildhall_runs_started_total\\{[^}]*workflow=\"support-desk\"[^}]*} [1-9]");
        assertThat(body)
                .containsPattern(
                        "guildhall_runs_finished_total\\{[^}]*outcome=\"succeeded\"[^}]*workflow=\"support-desk\"[^}]*} [1-9]");
        // Step latency by agent: the classifier step names its agent; a plain step says none.
        assertThat(body)
                .containsPattern(
                        "guildhall_steps_seconds_bucket\\{[^}]*agent=\"intent-classifier\"[^}]*step=\"[^\"]+\"[^}]*workflow=\"support-desk\"");
        assertThat(body).containsPattern("guildhall_queue_due(\\{[^}]*})? [0-9]");
        assertThat(body).containsPattern("guildhall_queue_leased(\\{[^}]*})? [0-9]");
        assertThat(body).containsPattern("guildhall_queue_lag_seconds(\\{[^}]*})? [0-9]");
        assertThat(body).containsPattern("guildhall_queue_dead_letters(\\{[^}]*})? [0-9]");
        assertThat(body)
                .containsPattern(
                        "guildhall_model_tokens_total\\{[^}]*direction=\"input\"[^}]*model=\"gpt-4o-mini\"[^}]*provider=\"openai\"[^}]*} 1200");
        assertThat(body).containsPattern("guildhall_model_tokens_total\\{[^}]*direction=\"output\"[^}]*} 300");
        assertThat(body).containsPattern("guildhall_model_cost_total\\{[^}]*model=\"gpt-4o-mini\"[^}]*} 3.6E-4");
        assertThat(body).containsPattern("guildhall_model_calls_total\\{[^}]*kind=\"chat\"[^}]*} 1");
        assertThat(body).containsPattern("guildhall_ratelimit_rejected_total(\\{[^}]*})? [0-9]");
        assertThat(body)
                .containsPattern(
                        "http_server_requests_seconds_bucket\\{[^}]*method=\"POST\"[^}]*status=\"201\"[^}]*uri=\"/api/v1/runs\"");
    }
}
