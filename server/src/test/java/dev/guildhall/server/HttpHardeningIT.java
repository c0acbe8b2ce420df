package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** CORS for the configured origin only, security headers on every answer, health probes. */
@TestPropertySource(
        properties = {
            "guildhall.cors.allowed-origins=https://app.example.test, https://admin.example.test",
            "server.forward-headers-strategy=native"
        })
class HttpHardeningIT extends ServerTestSupport {
    private static final String APP = "https://app.example.test";

    @Test
    void a_configured_origin_may_call_the_api_from_a_browser_and_another_may_not() {
        Http.Response preflight = http.send(
                "OPTIONS",
                "/api/v1/agents",
                null,
                "Origin",
                APP,
                "Access-Control-Request-Method",
                "GET",
                "Access-Control-Request-Headers",
                "authorization");
        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(preflight.header("Access-Control-Allow-Headers")).containsIgnoringCase("authorization");
        assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();

        Http.Response get =
                http.send("GET", "/api/v1/agents", null, "Origin", APP, "Authorization", "Bearer " + login("admin"));
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.header("Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(get.header("Access-Control-Expose-Headers")).contains("RateLimit-Remaining");

        Http.Response foreign = http.send(
                "OPTIONS",
                "/api/v1/agents",
                null,
                "Origin",
                "https://evil.example.test",
                "Access-Control-Request-Method",
                "GET");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void every_answer_carries_the_security_headers_and_api_answers_a_csp_that_loads_nothing() {
        for (Http.Response r : new Http.Response[] {
            http.get("/api/v1/agents", login("admin")),
            http.get("/api/v1/agents", null),
            http.get("/actuator/health", null)
        }) {
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(r.header("Content-Security-Policy")).startsWith("default-src 'none'");
            assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
            assertThat(r.header("Cache-Control")).contains("no-store");
            assertThat(r.header("Strict-Transport-Security")).isNull(); // Plain HTTP: HSTS would be ignored.
        }
        Http.Response ui = http.get("/swagger-ui/index.html", null);
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.raw().headers().allValues("Content-Security-Policy"))
                .anyMatch(csp -> csp.startsWith("default-src 'self'"));
    }

    @Test
    void behind_a_tls_proxy_answers_carry_hsts() {
        Http.Response r = http.send("GET", "/actuator/health", null, "X-Forwarded-Proto", "https");
        assertThat(r.header("Strict-Transport-Security")).isEqualTo("max-age=31536000 ; includeSubDomains");
    }

    @Test
    void readiness_checks_the_database_and_liveness_only_the_process() {
        Http.Response ready = http.get("/actuator/health/readiness", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("status").asText()).isEqualTo("UP");
        assertThat(ready.json().path("components").path("store").path("status").asText())
                .isEqualTo("UP");
        assertThat(ready.json().path("components").has("redis")).isFalse(); // Not configured here.
        Http.Response live = http.get("/actuator/health/liveness", null);
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().path("components").has("store")).isFalse();
        assertThat(live.json().path("status").asText()).isEqualTo("UP");
    }
}
