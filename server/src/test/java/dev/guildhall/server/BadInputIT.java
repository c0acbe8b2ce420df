package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bad-input sweep: malformed JSON, wrong types, deep nesting, unicode edge cases and injection
 * strings sent to every endpoint that takes a body or a free-text field. The server must answer
 * 4xx with a problem document, never 5xx, and store strings it accepts exactly as sent.
 */
class BadInputIT extends ServerTestSupport {
    private static final Logger LOG = LoggerFactory.getLogger(BadInputIT.class);

    static final List<String> MALFORMED = List.of(
            "",
            "{",
            "}",
            "[]",
            "null",
            "\"just a string\"",
            "42",
            "{\"workflow\":}",
            "{\"workflow\":\"support-desk\",}",
            "{'workflow':'support-desk'}",
            "{\"workflow\":\"support-desk\" \"input\":{}}",
            "{\"workflow\":\"\\ud800\"}",
            "{\"workflow\":\"support-desk\",\"input\":{\"message\":\"unterminated}}",
            "\u0000\u0001\u0002",
            "{\"workflow\":NaN}",
            "[".repeat(5_000) + "]".repeat(5_000),
            "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000),
            "{\"workflow\":\"support-desk\",\"input\":" + "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_001));

    static final List<String> NASTY = List.of(
            "' OR '1'='1",
            "\"; DROP TABLE runs; --",
            "1; DELETE FROM api_keys WHERE 1=1",
            "<script>alert(1)</script>",
            "${jndi:ldap://example.invalid/a}",
            "{{7*7}}",
            "../../../../etc/passwd",
            "%00%0a%0d",
            "\u202egnp.exe",
            "\uD83D\uDE00 emoji and \u00e9\u0301 combining",
            "\u0000nul",
            "line\nbreak\ttab",
            "x".repeat(10_000),
            "\uFEFFbom",
            "ｆｕｌｌｗｉｄｔｈ",
            "",
            " ");

    @Test
    void no_bad_input_gets_a_5xx_and_accepted_strings_are_stored_verbatim() {
        String owner = login("admin");
        String run = startRun(owner, "target of the sweep");
        List<String> failures = new ArrayList<>();
        int requests = 0;

        // Malformed bodies on every endpoint that takes one.
        List<String> bodyPaths = List.of(
                "/api/v1/runs",
                "/api/v1/runs/" + run + "/cancel",
                "/api/v1/runs/" + run + "/signals",
                "/api/v1/api-keys",
                "/api/v1/auth/login");
        for (String path : bodyPaths) {
            for (String body : MALFORMED) {
                Http.Response r = http.post(path, owner, body);
                requests++;
                // The cancel body is optional: none, or JSON null, is a cancel without a reason.
                boolean emptyCancelIsFine = path.endsWith("/cancel") && (body.isEmpty() || body.equals("null"));
                if (!(r.status() >= 400 && r.status() < 500) && !emptyCancelIsFine) {
                    failures.add("POST " + path + " " + abbreviate(body) + " -> " + r.status());
                } else if (r.status() >= 400 && !r.contentType().startsWith("application/problem+json")) {
                    failures.add("POST " + path + " " + abbreviate(body) + " -> not a problem document");
                }
            }
        }

        // Wrong types in every field.
        for (Object wrong : List.of(1, true, List.of("a"), Map.of("a", 1))) {
            for (Map.Entry<String, Map<String, Object>> call : List.of(
                    Map.entry("/api/v1/runs", Map.<String, Object>of("workflow", wrong)),
                    Map.entry(
                            "/api/v1/runs",
                            Map.<String, Object>of("workflow", "support-desk", "input", List.of(wrong))),
                    Map.entry("/api/v1/runs/" + run + "/signals", Map.<String, Object>of("name", wrong)),
                    Map.entry("/api/v1/runs/" + run + "/cancel", Map.<String, Object>of("reason", wrong)),
                    Map.entry("/api/v1/api-keys", Map.<String, Object>of("name", wrong)),
                    Map.entry("/api/v1/api-keys", Map.<String, Object>of("name", "k", "scopes", wrong)),
                    Map.entry("/api/v1/api-keys", Map.<String, Object>of("name", "k", "expiresAt", wrong)),
                    Map.entry("/api/v1/auth/login", Map.<String, Object>of("username", wrong, "password", "x")))) {
                Http.Response r = http.post(call.getKey(), owner, Http.json(call.getValue()));
                requests++;
                // A number or boolean where a string goes is coerced by Jackson ("1", "true"): a 4xx or a
                // 2xx for a then-valid value are both fine; a 5xx is not.
                if (r.status() >= 500) {
                    failures.add("POST " + call.getKey() + " " + call.getValue() + " -> " + r.status());
                }
            }
        }

        // Nasty strings in every free-text field: rejected with 4xx, or accepted and stored as sent.
        for (String nasty : NASTY) {
            Http.Response start = http.post(
                    "/api/v1/runs",
                    owner,
                    Http.json(Map.of("workflow", "support-desk", "input", Map.of("message", nasty))));
            requests++;
            if (start.status() == 201) {
                JsonNode stored = http.get(
                                "/api/v1/runs/" + start.json().get("id").asText(), owner)
                        .json();
                requests++;
                if (!nasty.equals(stored.get("input").get("message").asText())) {
                    failures.add("run input not stored verbatim: " + abbreviate(nasty));
                }
            } else if (start.status() >= 500 || start.status() < 400) {
                failures.add("run input " + abbreviate(nasty) + " -> " + start.status());
            }
            for (Map.Entry<String, Map<String, Object>> call : List.of(
                    Map.entry("/api/v1/runs", Map.<String, Object>of("workflow", nasty)),
                    Map.entry("/api/v1/runs/" + run + "/signals", Map.<String, Object>of("name", nasty)),
                    Map.entry("/api/v1/runs/" + run + "/cancel", Map.<String, Object>of("reason", nasty)),
                    Map.entry("/api/v1/auth/login", Map.<String, Object>of("username", nasty, "password", nasty)))) {
                Http.Response r = http.post(call.getKey(), owner, Http.json(call.getValue()));
                requests++;
                if (r.status() >= 500) {
                    failures.add("POST " + call.getKey() + " " + abbreviate(nasty) + " -> " + r.status());
                }
            }
            Http.Response key = http.post("/api/v1/api-keys", owner, Http.json(Map.of("name", nasty)));
            requests++;
            if (key.status() == 201) {
                String id = key.json().get("apiKey").get("id").asText();
                if (!nasty.equals(http.get("/api/v1/api-keys/" + id, owner)
                        .json()
                        .get("name")
                        .asText())) {
                    failures.add("key name not stored verbatim: " + abbreviate(nasty));
                }
                requests++;
            } else if (key.status() >= 500 || key.status() < 400) {
                failures.add("key name " + abbreviate(nasty) + " -> " + key.status());
            }
            for (String path : List.of(
                    "/api/v1/runs/" + encode(nasty),
                    "/api/v1/agents/" + encode(nasty),
                    "/api/v1/workflows/" + encode(nasty),
                    "/api/v1/runs?workflow=" + encode(nasty),
                    "/api/v1/runs?cursor=" + encode(nasty),
                    "/api/v1/agents?team=" + encode(nasty) + "&capability=" + encode(nasty))) {
                Http.Response r = http.get(path, owner);
                requests++;
                if (r.status() >= 500) {
                    failures.add("GET " + abbreviate(path) + " -> " + r.status());
                }
            }
        }

        // The tables are intact after all of it.
        assertThat(http.get("/api/v1/runs/" + run, owner).status()).isEqualTo(200);
        // The examples' seven agents and the support pack's fourteen.
        assertThat(http.get("/api/v1/agents", owner).json().size()).isEqualTo(7 + 14);
        LOG.info("Bad-input sweep: {} requests, {} failures", requests, failures.size());
        assertThat(failures)
                .as("bad inputs the server mishandled, of %d requests", requests)
                .isEmpty();
        assertThat(requests).isGreaterThan(300);
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "...(" + s.length() + " chars)" : s;
    }
}
