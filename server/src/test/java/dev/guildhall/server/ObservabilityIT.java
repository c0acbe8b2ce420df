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

    @Test
    void prometheus_shows_run_counters_and_queue_depth_to_a_scope_holder_only() {
        String owner = login("admin");
        String run = startRun(owner, "metrics");
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
        assertThat(body).contains("guildhall_runs_started_total{");
        assertThat(body).contains("guildhall_runs_finished_total{");
        assertThat(body).contains("outcome=\"succeeded\"");
        assertThat(body).contains("guildhall_queue_due ");
        assertThat(body).contains("guildhall_queue_dead_letters ");
        assertThat(body).contains("guildhall_steps_seconds_bucket");
        assertThat(body).contains("http_server_requests_seconds_bucket");
    }
}
