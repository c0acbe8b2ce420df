package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two server instances (two Spring contexts on their own random ports) on one database and one
 * Redis: a caller's rate limit is one bucket in Redis, drawn from by both. Skipped with a message
 * when Redis is not reachable, failed instead when {@code GUILDHALL_REQUIRE_SERVICES=true}.
 */
class SharedRateLimitIT {
    private static final String REDIS = "redis://127.0.0.1:6379";
    private static final int LIMIT = 20;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void start() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 6379), 1000);
        } catch (IOException e) {
            String message = "Redis not reachable at " + REDIS + "; start it with scripts/services.sh";
            if (Boolean.parseBoolean(System.getenv("GUILDHALL_REQUIRE_SERVICES"))) {
                fail(message + " (GUILDHALL_REQUIRE_SERVICES=true, so this fails instead of skipping)", e);
            }
            Assumptions.assumeTrue(false, message);
        }
        Path data = Files.createTempDirectory("guildhall-shared-limit");
        first = server(data);
        second = server(data);
    }

    private static ConfigurableApplicationContext server(Path data) {
        // Arguments, not default properties: they must win over application.properties.
        return new SpringApplicationBuilder(GuildhallServer.class)
                .run(
                        "--server.port=0",
                        "--guildhall.data-dir=" + data,
                        "--guildhall.redis.url=" + REDIS,
                        "--guildhall.rate-limit-per-minute=" + LIMIT,
                        "--guildhall.demo.examples=../examples/support-desk",
                        "--guildhall.admin.password=" + ServerTestSupport.PASSWORD,
                        "--guildhall.jwt.secret=" + ServerTestSupport.SECRET);
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    private static Http http(ConfigurableApplicationContext server) {
        return new Http(Integer.parseInt(server.getEnvironment().getProperty("local.server.port")));
    }

    @Test
    void a_users_requests_to_either_instance_draw_from_one_bucket() {
        Http a = http(first);
        Http b = http(second);
        Http.Response login = a.send(
                "POST",
                "/api/v1/auth/login",
                Http.json(Map.of("username", "admin", "password", ServerTestSupport.PASSWORD)));
        assertThat(login.status()).as(login.raw().body()).isEqualTo(200);
        String token = login.json().get("accessToken").asText();

        for (int i = 0; i < LIMIT; i++) {
            Http.Response r = (i % 2 == 0 ? a : b).get("/api/v1/workflows", token);
            assertThat(r.status()).as("request %d", i).isEqualTo(200);
            assertThat(r.header("RateLimit-Remaining")).isEqualTo(Integer.toString(LIMIT - 1 - i));
        }
        Http.Response limitedOnA = a.get("/api/v1/workflows", token);
        Http.Response limitedOnB = b.get("/api/v1/workflows", token);
        for (Http.Response limited : new Http.Response[] {limitedOnA, limitedOnB}) {
            ServerTestSupport.assertProblem(limited, 429, "rate-limited");
            assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        }
    }

    @Test
    void readiness_includes_redis_when_it_is_configured() {
        Http.Response ready = http(second).get("/actuator/health/readiness", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("components").path("redis").path("status").asText())
                .isEqualTo("UP");
        assertThat(ready.json().path("components").path("store").path("status").asText())
                .isEqualTo("UP");
    }
}
