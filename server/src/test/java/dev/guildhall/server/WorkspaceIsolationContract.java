package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.RunId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.store.jdbc.JdbcWorkspaceRuns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The cross-workspace sweep: every endpoint that names a resource is called with a token (and an
 * API key) of workspace acme on a resource of workspace demo, and must answer 404, change nothing,
 * and leak nothing into acme's lists. The H2 and PostgreSQL variants extend this.
 */
abstract class WorkspaceIsolationContract extends ServerTestSupport {
    @Autowired
    JdbcWorkspaceRuns workspaceRuns;

    /** One request of the sweep. */
    record Call(String method, String path, String body) {}

    static List<Call> callsOn(String run, String key) {
        return List.of(
                new Call("GET", "/api/v1/runs/" + run, null),
                new Call("POST", "/api/v1/runs/" + run + "/cancel", "{\"reason\":\"attack\"}"),
                new Call("POST", "/api/v1/runs/" + run + "/signals", "{\"name\":\"approve\",\"payload\":{}}"),
                new Call("GET", "/api/v1/runs/" + run + "/steps", null),
                new Call("GET", "/api/v1/runs/" + run + "/events", null),
                new Call("POST", "/api/v1/runs/" + run + "/retry", null),
                new Call("GET", "/api/v1/workflows/support-desk", null),
                new Call("GET", "/api/v1/agents/intent-classifier", null),
                new Call("POST", "/api/v1/runs", "{\"workflow\":\"support-desk\",\"input\":{\"message\":\"x\"}}"),
                new Call("GET", "/api/v1/api-keys/" + key, null),
                new Call("DELETE", "/api/v1/api-keys/" + key, null));
    }

    @Test
    void every_endpoint_answers_404_to_another_workspace_with_a_token_or_a_key() {
        String a = login("admin");
        String run = startRun(a, "isolation sweep");
        Http.Response keyOfA = http.post("/api/v1/api-keys", a, Http.json(Map.of("name", "a-key")));
        String aKeyId = keyOfA.json().get("apiKey").get("id").asText();
        String aKey = keyOfA.json().get("key").asText();

        String b = login("bob");
        String bKey = http.post("/api/v1/api-keys", b, Http.json(Map.of("name", "b-key")))
                .json()
                .get("key")
                .asText();

        List<String> failures = new ArrayList<>();
        int calls = 0;
        for (String credential : List.of(b, bKey)) {
            for (Call call : callsOn(run, aKeyId)) {
                Http.Response r = http.send(call.method(), call.path(), call.body(), Http.auth(credential));
                calls++;
                if (r.status() != 404 || !r.json().path("type").asText().endsWith("/not-found")) {
                    failures.add(call + " -> " + r.status() + " " + r.raw().body());
                }
            }
        }
        assertThat(failures)
                .as("requests of acme on demo's resources that did not get 404")
                .isEmpty();
        assertThat(calls).isEqualTo(22);

        // Nothing changed on demo's side: the run was not cancelled, the key still works.
        Http.Response runOfA = http.get("/api/v1/runs/" + run, a);
        assertThat(runOfA.status()).isEqualTo(200);
        assertThat(runOfA.json().get("status").asText()).isNotEqualTo("CANCELLED");
        assertThat(http.get("/api/v1/runs/" + run, aKey).status()).isEqualTo(200);

        // Nothing of demo's shows in acme's lists.
        assertThat(http.get("/api/v1/runs", b).raw().body()).doesNotContain(run);
        assertThat(http.get("/api/v1/agents", b).json()).isEmpty();
        assertThat(http.get("/api/v1/workflows", b).json()).isEmpty();
        assertThat(http.get("/api/v1/api-keys", b).raw().body())
                .doesNotContain(aKeyId)
                .contains("b-key");
    }

    @Test
    void the_data_layer_does_not_return_another_workspace_s_run() {
        String run = startRun(login("admin"), "data layer");
        RunId id = RunId.of(run);
        assertThat(workspaceRuns.find(WorkspaceId.of(DEMO), id)).isPresent();
        assertThat(workspaceRuns.find(WorkspaceId.of(ACME), id)).isEmpty();
        assertThat(workspaceRuns.history(WorkspaceId.of(ACME), id)).isEmpty();
        assertThat(workspaceRuns
                        .list(WorkspaceId.of(ACME), null, null, null, 1000)
                        .runs())
                .noneMatch(r -> r.id().equals(id));
    }
}
