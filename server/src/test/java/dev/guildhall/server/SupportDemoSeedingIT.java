package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.packs.support.web.DemoSeeding;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The README's main command is enough to try the desk: at start the server seeds its demo
 * workspace (help centre and router, in the background) without anyone calling {@code POST
 * /api/v1/support/demo}. Here the router trains on the pack's own examples (no training file).
 */
@TestPropertySource(
        properties = {"guildhall.support.demo.seed=true", "guildhall.support.demo.training-data=/nonexistent.csv"})
class SupportDemoSeedingIT extends ServerTestSupport {
    @Autowired
    DemoSeeding seeding;

    @Test
    void the_demo_workspace_answers_a_customer_without_any_setup_call() throws Exception {
        DemoSeeding.Seeded seeded = seeding.start().get(120, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(seeded.alreadyThere()).isFalse();
        assertThat(seeded.trainingSource()).contains("the pack's own examples");
        assertThat(seeding.pending(seeding.workspace())).isFalse();

        String token = login("mia");
        Http.Response customer =
                http.post("/api/v1/support/customers", token, Http.json(Map.of("name", "Grace Hopper")));
        assertThat(customer.status()).as(customer.raw().body()).isEqualTo(201);
        Http.Response conversation = http.post(
                "/api/v1/support/conversations",
                token,
                Http.json(Map.of("customerId", customer.json().path("id").asText(), "channel", "api")));
        assertThat(conversation.status()).as(conversation.raw().body()).isEqualTo(201);
        String id = conversation.json().path("id").asText();

        Http.Response posted = http.post(
                "/api/v1/support/conversations/" + id + "/messages",
                token,
                Http.json(Map.of("text", "I lost my card, what do I do?")));
        assertThat(posted.status()).as(posted.raw().body()).isEqualTo(202);

        JsonNode reply = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> http.get("/api/v1/support/conversations/" + id, token)
                                .json()
                                .path("messages")
                                .path(1),
                        m -> !m.isMissingNode());
        assertThat(reply.path("author").asText()).isEqualTo("agent");
        assertThat(reply.path("text").asText()).containsIgnoringCase("freeze it in the app");
    }
}
