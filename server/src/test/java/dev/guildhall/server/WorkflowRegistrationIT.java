package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Agent definitions checked before deployment, and declarative workflows registered per workspace:
 * stored, versioned, run end to end, kept apart between workspaces, and found by a second server on
 * the same database.
 */
class WorkflowRegistrationIT extends ServerTestSupport {
    private static final String YAML = "application/yaml";

    @Autowired
    ServerSettings settings;

    static String triage(String description) {
        return """
                id: triage
                description: %s
                steps:
                  - id: handoff
                    agent: human-handoff
                    input: {message: "{{message}}", intent: triage}
                """
                .formatted(description);
    }

    private Http.Response yaml(String method, String path, String token, String body) {
        return http.send(method, path, body, concat(Http.auth(token), "Content-Type", YAML));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private String ownerOf(String workspace) {
        return workspace.equals(DEMO) ? login("admin") : login("bob");
    }

    /** Registers triage in the workspace unless it has it, and returns the latest version's view. */
    private JsonNode ensureTriage(String token, String description) {
        Http.Response existing = http.get("/api/v1/workflows/triage", token);
        if (existing.status() == 200) {
            return existing.json();
        }
        Http.Response r = yaml("POST", "/api/v1/workflows", token, triage(description));
        assertThat(r.status()).as(r.raw().body()).isIn(201, 409);
        return http.get("/api/v1/workflows/triage", token).json();
    }

    @Test
    void a_valid_agent_definition_is_summarised_and_an_invalid_one_lists_every_error_with_line_and_field() {
        String token = login("vic");
        String good =
                """
                id: refund-checker
                name: Refund checker
                description: Checks refunds.
                tier: operational
                team: billing
                capabilities: [refunds]
                model: none
                fallback:
                  kind: template
                  reply: "Checked (not generated)."
                  confidence: 0.5
                """;
        Http.Response ok = yaml("POST", "/api/v1/agents/validate", token, good);
        assertThat(ok.status()).as(ok.raw().body()).isEqualTo(200);
        assertThat(ok.json().get("valid").asBoolean()).isTrue();
        assertThat(ok.json().get("agents").get(0).get("id").asText()).isEqualTo("refund-checker");
        assertThat(ok.json().get("agents").get(0).get("team").asText()).isEqualTo("billing");

        // JSON is accepted too.
        Http.Response json = http.send(
                "POST",
                "/api/v1/agents/validate",
                Http.json(Map.of(
                        "id",
                        "json-agent",
                        "name",
                        "J",
                        "description",
                        "d",
                        "tier",
                        "operational",
                        "team",
                        "t",
                        "model",
                        "none",
                        "fallback",
                        Map.of("kind", "escalate", "reason", "r"))),
                Http.auth(token));
        assertThat(json.status()).as(json.raw().body()).isEqualTo(200);

        String bad =
                """
                id: Bad Id
                name: Broken
                tier: legendary
                team: billing
                model: none
                handoffs: [nobody-here]
                """;
        Http.Response r = yaml("POST", "/api/v1/agents/validate", token, bad);
        assertProblem(r, 422, "invalid-definition");
        JsonNode errors = r.json().get("errors");
        assertThat(errors.size()).isGreaterThanOrEqualTo(2);
        List<String> fields = new ArrayList<>();
        errors.forEach(e -> {
            assertThat(e.get("line").asInt()).isPositive();
            assertThat(e.get("message").asText()).isNotBlank();
            fields.add(e.path("field").asText());
        });
        assertThat(fields).contains("id", "tier");

        // An id the workspace's agents already use is an error, named without the server's paths.
        Http.Response taken =
                yaml("POST", "/api/v1/agents/validate", token, good.replace("refund-checker", "human-handoff"));
        assertProblem(taken, 422, "invalid-definition");
        assertThat(taken.raw().body()).contains("duplicate agent id").doesNotContain("examples/");

        Http.Response syntax = yaml("POST", "/api/v1/agents/validate", token, "id: [unclosed");
        assertProblem(syntax, 422, "invalid-definition");
    }

    @Test
    void a_registered_workflow_runs_end_to_end_and_a_new_version_leaves_older_runs_on_theirs() {
        String owner = login("admin");
        String id = "intake";
        Http.Response first =
                yaml("POST", "/api/v1/workflows", owner, triage("First").replace("triage", id));
        assertThat(first.status()).as(first.raw().body()).isIn(201, 409);
        JsonNode v = http.get("/api/v1/workflows/" + id, owner).json();
        assertThat(v.get("shared").asBoolean()).isFalse();
        assertThat(v.get("yaml").asText()).contains("id: " + id);
        assertThat(v.get("nodes").get(0).get("agent").asText()).isEqualTo("human-handoff");
        assertThat(http.get("/api/v1/workflows", owner).raw().body()).contains("\"" + id + "\"", "support-desk");

        Http.Response started = http.post(
                "/api/v1/runs", owner, Http.json(Map.of("workflow", id, "input", Map.of("message", "hello"))));
        assertThat(started.status()).as(started.raw().body()).isEqualTo(201);
        String run = started.json().get("id").asText();
        JsonNode done = awaitStatus(owner, run, "SUCCEEDED");
        assertThat(done.get("workflow").asText()).isEqualTo(id);
        int before = done.get("workflowVersion").asInt();

        Http.Response replaced =
                yaml("PUT", "/api/v1/workflows/" + id, owner, triage("Second").replace("triage", id));
        assertThat(replaced.status()).as(replaced.raw().body()).isEqualTo(200);
        assertThat(replaced.json().get("version").asInt()).isEqualTo(before + 1);
        assertThat(replaced.json().get("description").asText()).isEqualTo("Second");
        String run2 = http.post(
                        "/api/v1/runs", owner, Http.json(Map.of("workflow", id, "input", Map.of("message", "again"))))
                .json()
                .get("id")
                .asText();
        assertThat(awaitStatus(owner, run2, "SUCCEEDED").get("workflowVersion").asInt())
                .isEqualTo(before + 1);
        assertThat(http.get("/api/v1/runs/" + run, owner)
                        .json()
                        .get("workflowVersion")
                        .asInt())
                .isEqualTo(before);
        // The list filter by workflow finds the runs of every version.
        String listed = http.get("/api/v1/runs?workflow=" + id + "&limit=200", owner)
                .raw()
                .body();
        assertThat(listed).contains(run, run2);

        // Rules: a taken id is a conflict, the path and the definition must agree, a shared id is not free.
        assertProblem(yaml("POST", "/api/v1/workflows", owner, triage("x").replace("triage", id)), 409, "conflict");
        assertProblem(
                yaml("PUT", "/api/v1/workflows/" + id, owner, triage("x").replace("triage", "other")),
                400,
                "validation");
        assertProblem(yaml("PUT", "/api/v1/workflows/never-registered", owner, triage("x")), 404, "not-found");
        assertProblem(
                yaml("POST", "/api/v1/workflows", owner, triage("x").replace("triage", "support-desk")),
                409,
                "conflict");
        Http.Response unknownAgent =
                yaml("POST", "/api/v1/workflows", owner, triage("x").replace("human-handoff", "no-such-agent"));
        assertProblem(unknownAgent, 422, "invalid-definition");
        assertThat(unknownAgent.json().get("errors").get(0).get("line").asInt()).isEqualTo(5);
        // Registering needs workflows:write, which a member has not.
        assertProblem(
                yaml("POST", "/api/v1/workflows", login("mia"), triage("x").replace("triage", "m")), 403, "forbidden");

        // The audit log has both writes.
        String audit = http.get("/api/v1/audit?limit=500", owner).raw().body();
        assertThat(audit).contains("workflow.replace");
    }

    @Test
    void two_workspaces_register_the_same_id_without_seeing_each_other_s() {
        String demo = ownerOf(DEMO);
        String acme = ownerOf(ACME);
        ensureTriage(demo, "Demo's triage");
        ensureTriage(acme, "Acme's triage");
        assertThat(http.get("/api/v1/workflows/triage", demo)
                        .json()
                        .get("description")
                        .asText())
                .isEqualTo("Demo's triage");
        assertThat(http.get("/api/v1/workflows/triage", acme)
                        .json()
                        .get("description")
                        .asText())
                .isEqualTo("Acme's triage");

        String runInAcme = http.post(
                        "/api/v1/runs", acme, Http.json(Map.of("workflow", "triage", "input", Map.of("message", "a"))))
                .json()
                .get("id")
                .asText();
        awaitStatus(acme, runInAcme, "SUCCEEDED");
        assertThat(http.get("/api/v1/runs?workflow=triage", demo).raw().body()).doesNotContain(runInAcme);
        assertProblem(http.get("/api/v1/runs/" + runInAcme, demo), 404, "not-found");
    }

    @Test
    void a_second_server_on_the_same_database_sees_and_runs_a_workflow_registered_on_the_first() {
        String demo = ownerOf(DEMO);
        String yaml = triage("Registered on the first server").replace("triage", "late-node");
        Http.Response r = yaml("POST", "/api/v1/workflows", demo, yaml);
        assertThat(r.status()).as(r.raw().body()).isIn(201, 409);

        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(GuildhallServer.class)
                // Arguments, not default properties, which application.properties would override.
                .run(
                        "--server.port=0",
                        "--guildhall.data-dir=" + settings.dataDir(),
                        "--guildhall.demo.examples=../examples/support-desk",
                        "--guildhall.jwt.secret=" + SECRET,
                        "--guildhall.rate-limit-per-minute=0")) {
            int port = second.getEnvironment().getProperty("local.server.port", Integer.class);
            Http other = new Http(port);
            Http.Response login = other.send(
                    "POST",
                    "/api/v1/auth/login",
                    Http.json(Map.of("username", "admin", "password", PASSWORD, "workspace", DEMO)));
            assertThat(login.status()).as(login.raw().body()).isEqualTo(200);
            String token = login.json().get("accessToken").asText();
            Http.Response seen = other.get("/api/v1/workflows/late-node", token);
            assertThat(seen.status()).as(seen.raw().body()).isEqualTo(200);
            assertThat(seen.json().get("description").asText()).isEqualTo("Registered on the first server");
            Http.Response started = other.post(
                    "/api/v1/runs", token, Http.json(Map.of("workflow", "late-node", "input", Map.of("message", "x"))));
            assertThat(started.status()).as(started.raw().body()).isEqualTo(201);
            String run = started.json().get("id").asText();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(other.get("/api/v1/runs/" + run, token)
                                    .json()
                                    .get("status")
                                    .asText())
                            .isEqualTo("SUCCEEDED"));
        }
    }

    @Autowired
    dev.guildhall.store.jdbc.JdbcWorkflowDefinitions definitions;

    @Test
    void a_stored_workflow_whose_agent_is_gone_is_left_out_of_the_list_and_named_as_stale() {
        String owner = login("admin");
        // As if the pack lost the agent after the workflow was registered.
        definitions.insert(new dev.guildhall.store.jdbc.JdbcWorkflowDefinitions.Definition(
                dev.guildhall.core.WorkspaceId.of(DEMO),
                "orphaned",
                1,
                triage("x").replace("triage", "orphaned").replace("human-handoff", "retired-agent"),
                dev.guildhall.core.UserId.of("someone"),
                java.time.Instant.now()));
        Http.Response list = http.get("/api/v1/workflows", owner);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.raw().body()).doesNotContain("orphaned").contains("support-desk");
        Http.Response one = http.get("/api/v1/workflows/orphaned", owner);
        assertProblem(one, 409, "invalid-definition");
        assertThat(one.raw().body()).contains("retired-agent");
        assertProblem(
                http.post("/api/v1/runs", owner, Http.json(Map.of("workflow", "orphaned"))), 409, "invalid-definition");
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
