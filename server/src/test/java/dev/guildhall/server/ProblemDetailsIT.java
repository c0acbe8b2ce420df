package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemDetailsIT extends ServerTestSupport {

    @Test
    void an_unknown_json_field_is_rejected_and_named() {
        Http.Response r = http.post("/api/v1/runs", login("admin"), "{\"workflow\":\"support-desk\",\"inptu\":{}}");
        assertProblem(r, 400, "validation");
        assertThat(r.json().get("field").asText()).isEqualTo("inptu");
    }

    @Test
    void a_missing_required_field_is_named() {
        Http.Response r = http.post("/api/v1/runs", login("admin"), "{\"input\":{}}");
        assertProblem(r, 400, "validation");
        assertThat(r.json().get("field").asText()).isEqualTo("workflow");
        assertThat(r.json().get("errors")).isNotEmpty();
    }

    @Test
    void input_that_is_not_an_object_is_named() {
        Http.Response r = http.post("/api/v1/runs", login("admin"), "{\"workflow\":\"support-desk\",\"input\":\"hi\"}");
        assertProblem(r, 400, "validation");
        assertThat(r.json().get("field").asText()).isEqualTo("input");
    }

    @Test
    void a_wrong_json_type_is_named() {
        Http.Response r = http.post("/api/v1/runs", login("admin"), "{\"workflow\":{\"a\":1}}");
        assertProblem(r, 400, "validation");
        assertThat(r.json().get("field").asText()).isEqualTo("workflow");
    }

    @Test
    void malformed_json_is_a_malformed_request() {
        assertProblem(http.post("/api/v1/runs", login("admin"), "{\"workflow\": "), 400, "malformed-request");
    }

    @Test
    void a_body_over_the_limit_gets_413_before_anything_else() {
        String huge = "{\"workflow\":\"support-desk\",\"input\":{\"message\":\"" + "x".repeat(70_000) + "\"}}";
        assertProblem(http.post("/api/v1/runs", login("admin"), huge), 413, "payload-too-large");
        assertProblem(http.post("/api/v1/runs", null, huge), 413, "payload-too-large");
    }

    @Test
    void a_bad_idempotency_key_is_named() {
        Http.Response r = http.send(
                "POST",
                "/api/v1/runs",
                "{\"workflow\":\"support-desk\"}",
                "Authorization",
                "Bearer " + login("admin"),
                "Idempotency-Key",
                "x".repeat(201));
        assertProblem(r, 400, "validation");
        assertThat(r.json().get("field").asText()).isEqualTo("Idempotency-Key");
    }

    @Test
    void bad_query_parameters_are_named() {
        String token = login("admin");
        Http.Response status = http.get("/api/v1/runs?status=sleeping", token);
        assertProblem(status, 400, "validation");
        assertThat(status.json().get("field").asText()).isEqualTo("status");
        Http.Response limit = http.get("/api/v1/runs?limit=0", token);
        assertProblem(limit, 400, "validation");
        assertThat(limit.json().get("field").asText()).isEqualTo("limit");
        Http.Response notANumber = http.get("/api/v1/runs?limit=ten", token);
        assertProblem(notANumber, 400, "validation");
        assertThat(notANumber.json().get("field").asText()).isEqualTo("limit");
        Http.Response cursor = http.get("/api/v1/runs?cursor=not-a-cursor", token);
        assertProblem(cursor, 400, "validation");
        assertThat(cursor.json().get("field").asText()).isEqualTo("cursor");
        Http.Response tier = http.get("/api/v1/agents?tier=legendary", token);
        assertProblem(tier, 400, "validation");
        assertThat(tier.json().get("field").asText()).isEqualTo("tier");
    }

    @Test
    void unknown_things_are_not_found() {
        String token = login("admin");
        assertProblem(http.get("/api/v1/runs/00000000-0000-0000-0000-000000000000", token), 404, "not-found");
        assertProblem(http.get("/api/v1/workflows/nope", token), 404, "not-found");
        assertProblem(http.get("/api/v1/nothing-here", token), 404, "not-found");
        assertProblem(http.post("/api/v1/runs", token, Http.json(Map.of("workflow", "nope"))), 404, "not-found");
    }

    @Test
    void wrong_method_and_media_type_are_problems_too() {
        String token = login("admin");
        assertProblem(http.send("PUT", "/api/v1/runs", "{}", Http.auth(token)), 405, "method-not-allowed");
        assertProblem(
                http.send(
                        "POST",
                        "/api/v1/runs",
                        "workflow=x",
                        "Authorization",
                        "Bearer " + token,
                        "Content-Type",
                        "text/plain"),
                415,
                "unsupported-media-type");
    }
}
