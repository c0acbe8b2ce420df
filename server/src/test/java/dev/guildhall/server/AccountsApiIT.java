package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Workspaces, members, local users and switching a token's workspace, over real HTTP. */
class AccountsApiIT extends ServerTestSupport {

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Http.Response send(String method, String path, String token, Object body) {
        return http.send(method, path, body == null ? null : Http.json(body), Http.auth(token));
    }

    /** Creates a user through the API as admin of demo, without a membership; returns the user id. */
    private String createUser(String adminToken, String name) {
        Http.Response r = send("POST", "/api/v1/users", adminToken, Map.of("username", name, "password", PASSWORD));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private String loginTo(String username, String workspace) {
        Http.Response r = http.send(
                "POST",
                "/api/v1/auth/login",
                Http.json(Map.of("username", username, "password", PASSWORD, "workspace", workspace)));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json().get("accessToken").asText();
    }

    @Test
    void a_user_creates_a_workspace_owns_it_renames_it_and_switches_tokens_between_workspaces() {
        String admin = login("admin");
        String name = unique("carol");
        createUser(admin, name);
        String carol = null;
        // Carol belongs to no workspace yet: login needs one.
        Http.Response none =
                http.send("POST", "/api/v1/auth/login", Http.json(Map.of("username", name, "password", PASSWORD)));
        assertProblem(none, 400, "validation");

        // Admin adds her to demo as a viewer, then she signs in there and creates her own workspace.
        assertThat(send("POST", "/api/v1/workspaces/demo/members", admin, Map.of("username", name, "role", "viewer"))
                        .status())
                .isEqualTo(201);
        carol = loginTo(name, DEMO);
        String ws = unique("ws");
        Http.Response created = send("POST", "/api/v1/workspaces", carol, Map.of("id", ws, "name", "Carol's"));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/workspaces/" + ws);
        assertThat(created.json().get("role").asText()).isEqualTo("owner");
        assertProblem(send("POST", "/api/v1/workspaces", carol, Map.of("id", ws, "name", "again")), 409, "conflict");

        List<String> mine = new ArrayList<>();
        send("GET", "/api/v1/workspaces", carol, null)
                .json()
                .forEach(w -> mine.add(w.get("id").asText()));
        assertThat(mine).containsExactlyInAnyOrder(DEMO, ws);

        // Her demo token cannot change the new workspace: it is for demo. Switching gives one that can.
        assertProblem(send("PATCH", "/api/v1/workspaces/" + ws, carol, Map.of("name", "x")), 403, "forbidden");
        Http.Response switched = send("POST", "/api/v1/auth/switch", carol, Map.of("workspace", ws));
        assertThat(switched.status()).as(switched.raw().body()).isEqualTo(200);
        assertThat(switched.json().get("workspace").asText()).isEqualTo(ws);
        assertThat(switched.json().get("role").asText()).isEqualTo("owner");
        String carolWs = switched.json().get("accessToken").asText();
        Http.Response renamed = send("PATCH", "/api/v1/workspaces/" + ws, carolWs, Map.of("name", "Carol & Co"));
        assertThat(renamed.status()).as(renamed.raw().body()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/workspaces/" + ws, carolWs, null)
                        .json()
                        .get("name")
                        .asText())
                .isEqualTo("Carol & Co");

        Http.Response me = send("GET", "/api/v1/users/me", carolWs, null);
        assertThat(me.json().get("username").asText()).isEqualTo(name);
        assertThat(me.json().get("workspace").asText()).isEqualTo(ws);
        assertThat(me.json().get("role").asText()).isEqualTo("owner");
        assertThat(me.json().get("memberships")).hasSize(2);

        // A workspace she does not belong to is not found, to see or to switch to.
        assertProblem(send("GET", "/api/v1/workspaces/" + ACME, carolWs, null), 404, "not-found");
        assertProblem(send("POST", "/api/v1/auth/switch", carolWs, Map.of("workspace", ACME)), 404, "not-found");

        // Every write is in the new workspace's audit log.
        JsonNode audit = send("GET", "/api/v1/audit", carolWs, null).json();
        List<String> actions = new ArrayList<>();
        audit.forEach(e -> actions.add(e.get("action").asText()));
        assertThat(actions).contains("workspace.create", "workspace.rename");
    }

    @Test
    void members_are_added_changed_and_removed_but_the_last_owner_stays() {
        String admin = login("admin");
        String dave = unique("dave");
        String daveId = createUser(admin, dave);
        String ws = unique("team");
        assertThat(send("POST", "/api/v1/workspaces", admin, Map.of("id", ws, "name", "Team"))
                        .status())
                .isEqualTo(201);
        String owner = send("POST", "/api/v1/auth/switch", admin, Map.of("workspace", ws))
                .json()
                .get("accessToken")
                .asText();

        Http.Response added = send(
                "POST", "/api/v1/workspaces/" + ws + "/members", owner, Map.of("username", dave, "role", "member"));
        assertThat(added.status()).as(added.raw().body()).isEqualTo(201);
        assertThat(added.json().get("userId").asText()).isEqualTo(daveId);
        assertProblem(
                send(
                        "POST",
                        "/api/v1/workspaces/" + ws + "/members",
                        owner,
                        Map.of("username", dave, "role", "viewer")),
                409,
                "conflict");
        assertProblem(
                send(
                        "POST",
                        "/api/v1/workspaces/" + ws + "/members",
                        owner,
                        Map.of("username", unique("nobody"), "role", "viewer")),
                404,
                "not-found");
        assertProblem(
                send("POST", "/api/v1/workspaces/" + ws + "/members", owner, Map.of("username", dave, "role", "king")),
                400,
                "validation");

        // Dave the member cannot manage members; made admin he can, but cannot touch owners.
        String daveToken = loginTo(dave, ws);
        assertProblem(send("GET", "/api/v1/workspaces/" + ws + "/members", daveToken, null), 403, "forbidden");
        assertThat(send("PATCH", "/api/v1/workspaces/" + ws + "/members/" + daveId, owner, Map.of("role", "admin"))
                        .json()
                        .get("role")
                        .asText())
                .isEqualTo("admin");
        // A token never grows: the new role's scopes come with a new sign-in.
        assertProblem(send("GET", "/api/v1/workspaces/" + ws + "/members", daveToken, null), 403, "forbidden");
        daveToken = loginTo(dave, ws);
        assertThat(send("GET", "/api/v1/workspaces/" + ws + "/members", daveToken, null)
                        .json())
                .hasSize(2);
        String adminId =
                send("GET", "/api/v1/users/me", owner, null).json().get("id").asText();
        assertProblem(
                send("DELETE", "/api/v1/workspaces/" + ws + "/members/" + adminId, daveToken, null), 403, "forbidden");

        // The only owner can be neither demoted nor removed.
        assertProblem(
                send("PATCH", "/api/v1/workspaces/" + ws + "/members/" + adminId, owner, Map.of("role", "admin")),
                409,
                "conflict");
        assertProblem(send("DELETE", "/api/v1/workspaces/" + ws + "/members/" + adminId, owner, null), 409, "conflict");

        // With a second owner the first may go; the removed member's token stops working at once.
        send("PATCH", "/api/v1/workspaces/" + ws + "/members/" + daveId, owner, Map.of("role", "owner"));
        Http.Response removed = send("DELETE", "/api/v1/workspaces/" + ws + "/members/" + adminId, owner, null);
        assertThat(removed.status()).as(removed.raw().body()).isEqualTo(204);
        assertProblem(send("GET", "/api/v1/users/me", owner, null), 401, "unauthenticated");
        assertProblem(
                send("DELETE", "/api/v1/workspaces/" + ws + "/members/" + adminId, loginTo(dave, ws), null),
                404,
                "not-found");
    }

    @Test
    void creating_users_needs_the_scope_and_a_free_username() {
        String admin = login("admin");
        String name = unique("erin");
        createUser(admin, name);
        assertProblem(
                send("POST", "/api/v1/users", admin, Map.of("username", name, "password", PASSWORD)), 409, "conflict");
        assertProblem(
                send("POST", "/api/v1/users", admin, Map.of("username", unique("f"), "password", "short")),
                400,
                "validation");
        assertProblem(
                send("POST", "/api/v1/users", login("mia"), Map.of("username", unique("g"), "password", PASSWORD)),
                403,
                "forbidden");
        Http.Response withRole = send(
                "POST",
                "/api/v1/users",
                admin,
                Map.of("username", unique("h"), "password", PASSWORD, "role", "viewer"));
        assertThat(withRole.status()).isEqualTo(201);
        String members = send("GET", "/api/v1/workspaces/demo/members", admin, null)
                .raw()
                .body();
        assertThat(members).contains(withRole.json().get("id").asText());
    }
}
