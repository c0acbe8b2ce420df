package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.testkit.FakeOpenAiServer;
import dev.guildhall.testkit.FakeReply;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Spend and budgets per workspace, with a real model protocol: the server's gateway talks to a fake
 * OpenAI server over HTTP, prices each call and writes the JDBC ledger. A run of workspace demo pays
 * into demo's budget and ledger only; acme's budget (hard limit 0) is not charged.
 */
class SpendAndBudgetsIT extends ServerTestSupport {
    static final FakeOpenAiServer MODEL = FakeOpenAiServer.start();

    @DynamicPropertySource
    static void model(DynamicPropertyRegistry registry) {
        registry.add("guildhall.gateway-env[OPENAI_API_KEY]", () -> "test-key");
        registry.add("guildhall.gateway-env[OPENAI_BASE_URL]", MODEL::baseUrl);
    }

    @AfterAll
    static void stop() {
        MODEL.close();
    }

    private static final String SUMMARISE =
            """
            id: summarise
            steps:
              - id: summary
                agent: case-summariser
                input: {contributions: "{{message}}"}
            """;

    private Http.Response put(String path, String token, Object body) {
        return http.send("PUT", path, Http.json(body), Http.auth(token));
    }

    @Test
    void a_run_is_charged_to_its_own_workspace_and_budgets_report_what_they_spent() {
        String demo = login("admin");
        String acme = login("bob");
        // Acme may spend nothing: were demo's call charged to acme, it would be refused.
        Http.Response zero = put("/api/v1/budgets/workspace", acme, Map.of("period", "monthly", "hardLimit", 0));
        assertThat(zero.status()).as(zero.raw().body()).isEqualTo(200);
        assertThat(put(
                                "/api/v1/budgets/workspace",
                                demo,
                                Map.of("period", "daily", "softLimit", "50", "hardLimit", "100"))
                        .status())
                .isEqualTo(200);

        Http.Response registered = http.send(
                "POST", "/api/v1/workflows", SUMMARISE, concat(Http.auth(demo), "Content-Type", "application/yaml"));
        assertThat(registered.status()).as(registered.raw().body()).isIn(201, 409);
        MODEL.enqueue(FakeReply.text("Summary: the customer wants a refund.").withUsage(1_000, 500));
        String run = http.post(
                        "/api/v1/runs",
                        demo,
                        Http.json(Map.of("workflow", "summarise", "input", Map.of("message", "refund please"))))
                .json()
                .get("id")
                .asText();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(http.get("/api/v1/runs/" + run, demo)
                                .json()
                                .get("status")
                                .asText())
                        .isEqualTo("SUCCEEDED"));
        assertThat(MODEL.requestCount()).as("the agent called the model").isGreaterThanOrEqualTo(1);

        JsonNode spend = http.get("/api/v1/spend?groupBy=agent&groupBy=model&groupBy=day", demo)
                .json();
        assertThat(spend.get("groupBy").toString()).isEqualTo("[\"agent\",\"model\",\"day\"]");
        JsonNode row = spend.get("rows").get(0);
        assertThat(row.get("agent").asText()).isEqualTo("case-summariser");
        assertThat(row.get("provider").asText()).isEqualTo("openai");
        assertThat(row.get("inputTokens").asLong()).isEqualTo(1_000);
        assertThat(row.get("outputTokens").asLong()).isEqualTo(500);
        assertThat(new BigDecimal(row.get("cost").asText())).isPositive();
        assertThat(new BigDecimal(spend.get("total").get("cost").asText()))
                .isEqualByComparingTo(new BigDecimal(row.get("cost").asText()));

        JsonNode demoBudgets = http.get("/api/v1/budgets", demo).json();
        assertThat(new BigDecimal(demoBudgets.get(0).get("spent").asText())).isPositive();

        // Nothing of it is acme's.
        JsonNode acmeSpend = http.get("/api/v1/spend?groupBy=agent", acme).json();
        assertThat(acmeSpend.get("rows")).isEmpty();
        assertThat(new BigDecimal(acmeSpend.get("total").get("cost").asText())).isZero();
        JsonNode acmeBudget = http.get("/api/v1/budgets", acme).json().get(0);
        assertThat(acmeBudget.get("scope").asText()).isEqualTo("workspace");
        assertThat(new BigDecimal(acmeBudget.get("spent").asText())).isZero();
    }

    @Test
    void budgets_are_validated_scoped_to_members_and_audited() {
        String demo = login("admin");
        assertProblem(
                put("/api/v1/budgets/workspace", demo, Map.of("period", "weekly", "hardLimit", 1)), 400, "validation");
        assertProblem(put("/api/v1/budgets/workspace", demo, Map.of("period", "daily")), 400, "validation");
        assertProblem(
                put("/api/v1/budgets/workspace", demo, Map.of("period", "daily", "softLimit", 5, "hardLimit", 1)),
                400,
                "validation");
        assertProblem(
                put("/api/v1/budgets/workspace", demo, Map.of("period", "daily", "hardLimit", -1)), 400, "validation");
        assertProblem(
                put("/api/v1/budgets/workspace", demo, Map.of("period", "daily", "hardLimit", "ten")),
                400,
                "validation");
        // A user of another workspace has no budget here.
        String bob = http.get("/api/v1/users/me", login("bob")).json().get("id").asText();
        assertProblem(
                put("/api/v1/budgets/users/" + bob, demo, Map.of("period", "daily", "hardLimit", 1)), 404, "not-found");
        String mia = http.get("/api/v1/users/me", login("mia")).json().get("id").asText();
        Http.Response own = put("/api/v1/budgets/users/" + mia, demo, Map.of("period", "daily", "hardLimit", "2.50"));
        assertThat(own.status()).as(own.raw().body()).isEqualTo(200);
        assertThat(own.raw().body()).contains("\"hardLimit\":2.50"); // The scale given is kept.
        assertThat(http.delete("/api/v1/budgets/users/" + mia, demo).status()).isEqualTo(204);
        assertProblem(http.delete("/api/v1/budgets/users/" + mia, demo), 404, "not-found");
        // Reading spend needs spend:read, setting budgets budgets:admin (owners only).
        assertProblem(http.get("/api/v1/spend", login("mia")), 403, "forbidden");
        assertProblem(http.get("/api/v1/spend?from=yesterday", demo), 400, "validation");
        assertProblem(http.get("/api/v1/spend?groupBy=planet", demo), 400, "validation");
        assertThat(http.get("/api/v1/audit?limit=500", demo).raw().body()).contains("budget.set", "budget.delete");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
