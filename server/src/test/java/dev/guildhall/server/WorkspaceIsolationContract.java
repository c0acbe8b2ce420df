package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.RunId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.store.jdbc.JdbcWorkspaceRuns;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The cross-workspace sweep, generated from the OpenAPI document: every operation under
 * {@code /api/v1} is called with a token and with an API key of workspace acme (B) on the resources
 * of workspace demo (A). Path variables are filled from the kinds of resource created in A; an
 * operation that names one of A's resources must answer 404 (not 403, not 200); a list must not show
 * anything of A's; a write on the caller's own workspace must leave A as it was. An operation the
 * sweep does not know how to fill fails the test, so a new endpoint cannot slip through unchecked.
 * The H2 and PostgreSQL variants extend this.
 */
abstract class WorkspaceIsolationContract extends ServerTestSupport {
    private static final Logger LOG = LoggerFactory.getLogger(WorkspaceIsolationContract.class);
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");

    @Autowired
    JdbcWorkspaceRuns workspaceRuns;

    /** How an operation is checked. */
    enum Kind {
        /** Names a resource of A (in the path or the body): 404. */
        ITEM,
        /** Lists the caller's workspace: nothing of A's in the answer. */
        LIST,
        /** Writes to the caller's own workspace (or nothing): never 5xx, and A unchanged afterwards. */
        OWN,
        /** The deployment's shared catalogue, the same for every workspace. */
        SHARED,
        /** Needs no credentials (sign-in). */
        PUBLIC
    }

    /** What the sweep knows about one operation: its kind and, when it takes one, a valid body. */
    record Known(Kind kind, String body) {}

    /** A's resources, by the kind of resource a path variable names. */
    record ResourcesOfA(
            String run,
            String keyId,
            String key,
            String workflow,
            String memberId,
            String workspace,
            String collection,
            String document,
            String customer,
            String conversation) {
        /** Strings that must never show up in B's answers. */
        List<String> markers() {
            return List.of(
                    run,
                    keyId,
                    key.substring(0, 16),
                    workflow,
                    memberId,
                    "777.77",
                    collection,
                    document,
                    customer,
                    conversation);
        }
    }

    /**
     * The value of path variable {@code name} in {@code path}, named by the segment before it, or
     * null when the sweep does not know that kind of resource.
     */
    static String fill(String path, String name, ResourcesOfA a) {
        String before = path.substring(0, path.indexOf("{" + name + "}"));
        String segment = before.substring(before.lastIndexOf('/', before.length() - 2) + 1, before.length() - 1);
        return switch (segment + "/" + name) {
            case "runs/id" -> a.run();
            case "api-keys/id" -> a.keyId();
            case "workflows/id" -> a.workflow();
            case "workspaces/id" -> a.workspace();
            case "members/userId", "users/userId" -> a.memberId();
            case "agents/id" -> "intent-classifier";
            case "collections/collection" -> a.collection();
            case "documents/id" -> a.document();
            case "customers/id" -> a.customer();
            case "conversations/id" -> a.conversation();
            default -> null;
        };
    }

    /** Every operation of the API and how the sweep calls it, by "METHOD path" as the document names them. */
    static Map<String, Known> known(ResourcesOfA a) {
        String budget = "{\"period\":\"daily\",\"hardLimit\":1}";
        String yaml = "id: %s\nsteps:\n  - id: h\n    agent: human-handoff\n";
        Map<String, Known> k = new LinkedHashMap<>();
        k.put("POST /api/v1/auth/login", new Known(Kind.PUBLIC, null));
        k.put("POST /api/v1/auth/switch", new Known(Kind.ITEM, "{\"workspace\":\"" + a.workspace() + "\"}"));
        k.put("POST /api/v1/runs", new Known(Kind.ITEM, "{\"workflow\":\"" + a.workflow() + "\",\"input\":{}}"));
        k.put("GET /api/v1/runs", new Known(Kind.LIST, null));
        k.put("GET /api/v1/runs/{id}", new Known(Kind.ITEM, null));
        k.put("POST /api/v1/runs/{id}/cancel", new Known(Kind.ITEM, "{\"reason\":\"attack\"}"));
        k.put("POST /api/v1/runs/{id}/signals", new Known(Kind.ITEM, "{\"name\":\"approve\",\"payload\":{}}"));
        k.put("GET /api/v1/runs/{id}/steps", new Known(Kind.ITEM, null));
        k.put("GET /api/v1/runs/{id}/events", new Known(Kind.ITEM, null));
        k.put("POST /api/v1/runs/{id}/retry", new Known(Kind.ITEM, null));
        k.put("GET /api/v1/workflows", new Known(Kind.LIST, null));
        k.put("POST /api/v1/workflows", new Known(Kind.OWN, yaml.formatted("b-" + UUID.randomUUID())));
        k.put("GET /api/v1/workflows/{id}", new Known(Kind.ITEM, null));
        k.put("PUT /api/v1/workflows/{id}", new Known(Kind.ITEM, yaml.formatted(a.workflow())));
        k.put("GET /api/v1/agents", new Known(Kind.SHARED, null));
        k.put("GET /api/v1/agents/{id}", new Known(Kind.SHARED, null));
        k.put(
                "POST /api/v1/agents/validate",
                new Known(
                        Kind.OWN,
                        "id: x\nname: X\ndescription: d\ntier: operational\nteam: t\nmodel: none\n"
                                + "fallback: {kind: escalate, reason: r}\n"));
        k.put("POST /api/v1/api-keys", new Known(Kind.OWN, "{\"name\":\"b-key\"}"));
        k.put("GET /api/v1/api-keys", new Known(Kind.LIST, null));
        k.put("GET /api/v1/api-keys/{id}", new Known(Kind.ITEM, null));
        k.put("DELETE /api/v1/api-keys/{id}", new Known(Kind.ITEM, null));
        k.put("GET /api/v1/audit", new Known(Kind.LIST, null));
        k.put(
                "POST /api/v1/workspaces",
                new Known(
                        Kind.OWN,
                        "{\"id\":\"b-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"name\":\"B's\"}"));
        k.put("GET /api/v1/workspaces", new Known(Kind.LIST, null));
        k.put("GET /api/v1/workspaces/{id}", new Known(Kind.ITEM, null));
        k.put("PATCH /api/v1/workspaces/{id}", new Known(Kind.ITEM, "{\"name\":\"taken over\"}"));
        k.put("GET /api/v1/workspaces/{id}/members", new Known(Kind.ITEM, null));
        k.put(
                "POST /api/v1/workspaces/{id}/members",
                new Known(Kind.ITEM, "{\"username\":\"bob\",\"role\":\"owner\"}"));
        k.put("PATCH /api/v1/workspaces/{id}/members/{userId}", new Known(Kind.ITEM, "{\"role\":\"viewer\"}"));
        k.put("DELETE /api/v1/workspaces/{id}/members/{userId}", new Known(Kind.ITEM, null));
        k.put(
                "POST /api/v1/users",
                new Known(
                        Kind.OWN,
                        "{\"username\":\"b-" + UUID.randomUUID().toString().substring(0, 8)
                                + "\",\"password\":\"a long enough password\"}"));
        k.put("GET /api/v1/users/me", new Known(Kind.LIST, null));
        k.put("GET /api/v1/spend", new Known(Kind.LIST, null));
        k.put("GET /api/v1/budgets", new Known(Kind.LIST, null));
        k.put("PUT /api/v1/budgets/workspace", new Known(Kind.OWN, budget));
        k.put("DELETE /api/v1/budgets/workspace", new Known(Kind.OWN, null));
        k.put("PUT /api/v1/budgets/each-user", new Known(Kind.OWN, budget));
        k.put("DELETE /api/v1/budgets/each-user", new Known(Kind.OWN, null));
        k.put("PUT /api/v1/budgets/users/{userId}", new Known(Kind.ITEM, budget));
        k.put("DELETE /api/v1/budgets/users/{userId}", new Known(Kind.ITEM, null));
        k.put("GET /api/v1/knowledge/collections", new Known(Kind.LIST, null));
        k.put(
                "POST /api/v1/knowledge/collections",
                new Known(
                        Kind.OWN,
                        "{\"name\":\"b-" + UUID.randomUUID().toString().substring(0, 8) + "\"}"));
        k.put("GET /api/v1/knowledge/collections/{collection}", new Known(Kind.ITEM, null));
        k.put("DELETE /api/v1/knowledge/collections/{collection}", new Known(Kind.ITEM, null));
        k.put("GET /api/v1/knowledge/collections/{collection}/documents", new Known(Kind.ITEM, null));
        k.put("GET /api/v1/knowledge/collections/{collection}/documents/{id}", new Known(Kind.ITEM, null));
        k.put(
                "PUT /api/v1/knowledge/collections/{collection}/documents/{id}",
                new Known(Kind.ITEM, "B overwrites A's document."));
        k.put("DELETE /api/v1/knowledge/collections/{collection}/documents/{id}", new Known(Kind.ITEM, null));
        k.put(
                "POST /api/v1/knowledge/collections/{collection}/search",
                new Known(Kind.ITEM, "{\"query\":\"card\",\"mode\":\"bm25\",\"k\":3}"));
        k.put("POST /api/v1/support/demo", new Known(Kind.OWN, null));
        k.put("GET /api/v1/support/customers", new Known(Kind.LIST, null));
        k.put("GET /api/v1/support/analytics", new Known(Kind.LIST, null));
        k.put("GET /api/v1/support/analytics/trends", new Known(Kind.LIST, null));
        k.put("GET /api/v1/support/sla", new Known(Kind.LIST, null));
        k.put("POST /api/v1/support/customers", new Known(Kind.OWN, "{\"name\":\"B's customer\"}"));
        k.put("GET /api/v1/support/customers/{id}", new Known(Kind.ITEM, null));
        k.put("PUT /api/v1/support/customers/{id}", new Known(Kind.ITEM, "{\"name\":\"taken over\"}"));
        k.put("POST /api/v1/support/conversations", new Known(Kind.ITEM, "{\"customerId\":\"" + a.customer() + "\"}"));
        k.put("GET /api/v1/support/conversations", new Known(Kind.LIST, null));
        k.put("GET /api/v1/support/conversations/{id}", new Known(Kind.ITEM, null));
        k.put("PATCH /api/v1/support/conversations/{id}", new Known(Kind.ITEM, "{\"status\":\"resolved\"}"));
        k.put(
                "POST /api/v1/support/conversations/{id}/messages",
                new Known(Kind.ITEM, "{\"text\":\"B writes into A's conversation\"}"));
        return k;
    }

    /** One operation of the OpenAPI document. */
    record Operation(String method, String path, String contentType) {
        String key() {
            return method + " " + path;
        }
    }

    List<Operation> operations() {
        Http.Response doc = http.send("GET", "/v3/api-docs", null);
        assertThat(doc.status()).isEqualTo(200);
        List<Operation> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = doc.json().get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> p = paths.next();
            Iterator<Map.Entry<String, JsonNode>> methods = p.getValue().fields();
            while (methods.hasNext()) {
                Map.Entry<String, JsonNode> m = methods.next();
                JsonNode content = m.getValue().path("requestBody").path("content");
                String type = content.isObject() && content.fieldNames().hasNext()
                        ? content.fieldNames().next()
                        : "application/json";
                out.add(new Operation(m.getKey().toUpperCase(java.util.Locale.ROOT), p.getKey(), type));
            }
        }
        return out;
    }

    @Test
    void every_operation_of_the_openapi_document_keeps_workspace_a_s_data_from_workspace_b() {
        String a = login("admin");
        String run = startRun(a, "isolation sweep");
        Http.Response keyOfA = http.post("/api/v1/api-keys", a, Http.json(Map.of("name", "a-key")));
        String workflow = "only-a-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Response registered = http.send(
                "POST",
                "/api/v1/workflows",
                "id: " + workflow + "\ndescription: A's own\nsteps:\n  - id: h\n    agent: human-handoff\n",
                "Authorization",
                "Bearer " + a,
                "Content-Type",
                "application/yaml");
        assertThat(registered.status()).as(registered.raw().body()).isEqualTo(201);
        String mia = http.get("/api/v1/users/me", login("mia")).json().get("id").asText();
        assertThat(http.send(
                                "PUT",
                                "/api/v1/budgets/workspace",
                                "{\"period\":\"monthly\",\"hardLimit\":777.77}",
                                Http.auth(a))
                        .status())
                .isEqualTo(200);
        String collection = "a-kb-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(http.post("/api/v1/knowledge/collections", a, Http.json(Map.of("name", collection)))
                        .status())
                .isEqualTo(201);
        String document = "a-doc-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Response stored = http.send(
                "PUT",
                "/api/v1/knowledge/collections/" + collection + "/documents/" + document,
                "Lost cards are frozen in the app under Cards, then Freeze.",
                "Authorization",
                "Bearer " + a,
                "Content-Type",
                "text/plain");
        assertThat(stored.status()).as(stored.raw().body()).isEqualTo(201);
        String customer = "a-cus-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(http.post("/api/v1/support/customers", a, Http.json(Map.of("id", customer, "name", "A's customer")))
                        .status())
                .isEqualTo(201);
        Http.Response conversationOfA =
                http.post("/api/v1/support/conversations", a, Http.json(Map.of("customerId", customer)));
        assertThat(conversationOfA.status()).as(conversationOfA.raw().body()).isEqualTo(201);
        String conversation = conversationOfA.json().get("id").asText();
        ResourcesOfA resources = new ResourcesOfA(
                run,
                keyOfA.json().get("apiKey").get("id").asText(),
                keyOfA.json().get("key").asText(),
                workflow,
                mia,
                DEMO,
                collection,
                document,
                customer,
                conversation);
        String demoName =
                http.get("/api/v1/workspaces/demo", a).json().get("name").asText();
        String membersBefore =
                http.get("/api/v1/workspaces/demo/members", a).raw().body();

        String b = login("bob");
        String bKey = http.post("/api/v1/api-keys", b, Http.json(Map.of("name", "b-key")))
                .json()
                .get("key")
                .asText();

        Map<String, Known> known = known(resources);
        List<Operation> operations = operations();
        List<String> failures = new ArrayList<>();
        TreeSet<String> unknown = new TreeSet<>();
        int requests = 0;
        for (Operation op : operations) {
            Known how = known.get(op.key());
            if (how == null) {
                unknown.add(op.key() + " (add it to WorkspaceIsolationContract.known)");
                continue;
            }
            if (how.kind() == Kind.PUBLIC) {
                continue;
            }
            String path = op.path();
            Matcher v = VARIABLE.matcher(op.path());
            while (v.find()) {
                String value = fill(op.path(), v.group(1), resources);
                if (value == null) {
                    unknown.add(op.key() + " (no resource kind for {" + v.group(1) + "})");
                    path = null;
                    break;
                }
                path = path.replace(v.group(), value);
            }
            if (path == null) {
                continue;
            }
            for (String credential : List.of(b, bKey)) {
                List<String> headers = new ArrayList<>(List.of(Http.auth(credential)));
                if (how.body() != null) {
                    headers.addAll(List.of("Content-Type", op.contentType()));
                }
                Http.Response r = http.send(op.method(), path, how.body(), headers.toArray(String[]::new));
                requests++;
                String body = r.raw().body();
                String what = op.key() + " as " + (credential.startsWith("ghk_") ? "key" : "token") + " -> "
                        + r.status() + " " + abbreviate(body);
                switch (how.kind()) {
                    case ITEM -> {
                        if (r.status() != 404 || !r.json().path("type").asText().endsWith("/not-found")) {
                            failures.add(what);
                        }
                    }
                    case LIST, SHARED, OWN -> {
                        if (r.status() >= 500) {
                            failures.add(what);
                        }
                        for (String marker : resources.markers()) {
                            if (body != null && body.contains(marker)) {
                                failures.add(what + " shows A's " + marker);
                            }
                        }
                    }
                    case PUBLIC -> {}
                }
            }
        }
        assertThat(unknown)
                .as("operations the sweep does not know how to fill: every endpoint must be in the sweep")
                .isEmpty();
        assertThat(known.keySet())
                .as("operations the sweep knows that the document no longer has")
                .containsExactlyInAnyOrderElementsOf(
                        operations.stream().map(Operation::key).toList());
        assertThat(failures).as("requests of acme that reached demo's data").isEmpty();
        LOG.info("isolation sweep: {} operations, {} requests", operations.size(), requests);
        System.out.println("isolation sweep: " + operations.size() + " operations in the OpenAPI document, " + requests
                + " requests");

        // Nothing changed on A's side.
        Http.Response runOfA = http.get("/api/v1/runs/" + run, a);
        assertThat(runOfA.json().get("status").asText()).isNotEqualTo("CANCELLED");
        assertThat(http.get("/api/v1/runs/" + run, resources.key()).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/workflows/" + workflow, a)
                        .json()
                        .get("version")
                        .asInt())
                .isEqualTo(1);
        assertThat(http.get("/api/v1/workspaces/demo", a).json().get("name").asText())
                .isEqualTo(demoName);
        assertThat(http.get("/api/v1/workspaces/demo/members", a).raw().body()).isEqualTo(membersBefore);
        assertThat(http.get("/api/v1/budgets", a).raw().body()).contains("777.77");
        assertThat(http.post(
                                "/api/v1/knowledge/collections/" + collection + "/search",
                                a,
                                Http.json(Map.of("query", "lost card frozen", "mode", "bm25", "k", 3)))
                        .raw()
                        .body())
                .contains(document)
                .doesNotContain("B overwrites");
        Http.Response conversationAfter = http.get("/api/v1/support/conversations/" + conversation, a);
        assertThat(conversationAfter.json().path("conversation").path("status").asText())
                .isEqualTo("open");
        assertThat(conversationAfter.raw().body()).doesNotContain("B writes");
        assertThat(http.get("/api/v1/support/customers/" + customer, a)
                        .json()
                        .path("name")
                        .asText())
                .isEqualTo("A's customer");
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
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
