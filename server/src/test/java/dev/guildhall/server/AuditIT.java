package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditIT extends ServerTestSupport {

    @Test
    void every_write_is_audited_with_who_what_and_from_where_for_admins_of_the_workspace_only() {
        String owner = login("admin");
        String member = login("mia");
        String run = startRun(member, "audit me");
        http.post("/api/v1/runs/" + run + "/cancel", member, "{\"reason\":\"changed my mind\"}");
        Http.Response key = http.post("/api/v1/api-keys", owner, Http.json(Map.of("name", "audited")));
        String keyId = key.json().get("apiKey").get("id").asText();
        http.delete("/api/v1/api-keys/" + keyId, owner);

        Http.Response log = http.get("/api/v1/audit?limit=1000", owner);
        assertThat(log.status()).as(log.raw().body()).isEqualTo(200);
        assertThat(entry(log.json(), "run.start", run).get("detail").asText()).isEqualTo("workflow=support-desk");
        JsonNode cancel = entry(log.json(), "run.cancel", run);
        assertThat(cancel.get("detail").asText()).isEqualTo("changed my mind");
        assertThat(cancel.get("source").asText()).isNotBlank();
        assertThat(cancel.get("actor").asText())
                .isEqualTo(identities.findUserByName("mia").orElseThrow().id().value());
        assertThat(entry(log.json(), "key.create", keyId).get("detail").asText())
                .startsWith("ghk_");
        assertThat(entry(log.json(), "key.revoke", keyId)).isNotNull();

        assertProblem(http.get("/api/v1/audit", member), 403, "forbidden");
        assertThat(http.get("/api/v1/audit?limit=1000", login("bob")).raw().body())
                .doesNotContain(run);
        Http.Response bad = http.get("/api/v1/audit?from=yesterday", owner);
        assertProblem(bad, 400, "validation");
        assertThat(bad.json().get("field").asText()).isEqualTo("from");
    }

    private static JsonNode entry(JsonNode log, String action, String target) {
        for (JsonNode e : log) {
            if (e.get("action").asText().equals(action)
                    && e.get("target").asText().equals(target)) {
                return e;
            }
        }
        throw new AssertionError("no " + action + " of " + target + " in " + log);
    }
}
