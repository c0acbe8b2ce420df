package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** A server of its own with a limit of 5 requests a minute, so the buckets run dry quickly. */
@TestPropertySource(properties = "guildhall.rate-limit-per-minute=5")
class RateLimitIT extends ServerTestSupport {

    @Test
    void each_user_key_and_anonymous_client_has_its_own_bucket_and_an_empty_one_answers_429() {
        String admin = login("admin"); // Anonymous requests share the client address's bucket: 1 of 5.
        String mia = login("mia"); // 2 of 5.

        for (int i = 0; i < 5; i++) {
            Http.Response ok = http.get("/api/v1/workflows", admin);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("RateLimit-Limit")).isEqualTo("5");
            assertThat(ok.header("RateLimit-Remaining")).isEqualTo(Integer.toString(4 - i));
        }
        Http.Response limited = http.get("/api/v1/workflows", admin);
        assertProblem(limited, 429, "rate-limited");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(limited.header("RateLimit-Remaining")).isEqualTo("0");

        assertThat(http.get("/api/v1/workflows", mia).status()).isEqualTo(200); // Another user, another bucket.

        String login = Http.json(Map.of("username", "admin", "password", "guess"));
        for (int i = 0; i < 3; i++) {
            assertProblem(http.send("POST", "/api/v1/auth/login", login), 401, "invalid-credentials");
        }
        assertProblem(http.send("POST", "/api/v1/auth/login", login), 429, "rate-limited"); // Guessing slows down.
        assertThat(http.get("/actuator/health", null).status()).isEqualTo(200); // Health is never limited.
    }
}
