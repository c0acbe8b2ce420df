package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.server.security.Role;
import dev.guildhall.server.security.TokenService;
import dev.guildhall.store.jdbc.JdbcApiKeyStore;
import dev.guildhall.store.jdbc.JdbcIdentityStore.Membership;
import dev.guildhall.store.jdbc.JdbcIdentityStore.User;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class AuthenticationIT extends ServerTestSupport {
    @Autowired
    JdbcApiKeyStore keyStore;

    @Autowired
    dev.guildhall.store.jdbc.JdbcDatabase database;

    javax.sql.DataSource dataSource;

    @org.junit.jupiter.api.BeforeEach
    void dataSource() {
        dataSource = database.dataSource();
    }

    @Test
    void login_rejects_a_wrong_password_an_unknown_user_and_a_foreign_workspace_alike() {
        for (Map<String, String> body : List.of(
                Map.of("username", "admin", "password", "wrong"),
                Map.of("username", "nobody", "password", PASSWORD),
                Map.of("username", "admin", "password", PASSWORD, "workspace", ACME))) {
            Http.Response r = http.send("POST", "/api/v1/auth/login", Http.json(body));
            assertProblem(r, 401, "invalid-credentials");
        }
    }

    @Test
    void passwords_are_stored_hashed() {
        User admin = identities.findUserByName("admin").orElseThrow();
        assertThat(admin.passwordHash()).startsWith("{bcrypt}").doesNotContain(PASSWORD);
    }

    @Test
    void a_token_carries_the_role_scopes() {
        Http.Response r =
                http.send("POST", "/api/v1/auth/login", Http.json(Map.of("username", "vic", "password", PASSWORD)));
        assertThat(r.json().get("role").asText()).isEqualTo("viewer");
        assertThat(r.json().get("workspace").asText()).isEqualTo(DEMO);
        assertThat(r.json().get("scopes").toString()).contains("runs:read").doesNotContain("runs:write");
    }

    @Test
    void bad_forged_and_expired_tokens_get_401() {
        assertProblem(http.get("/api/v1/runs", "not.a.jwt"), 401, "unauthenticated");
        TokenService forger = new TokenService(
                new SecretKeySpec(
                        "another-secret-that-is-32-bytes-or-more".getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                Duration.ofHours(1),
                "guildhall",
                Clock.systemUTC());
        String forged = forger.issue(UserId.of("x"), WorkspaceId.of(DEMO), Role.OWNER.scopes())
                .token();
        assertProblem(http.get("/api/v1/runs", forged), 401, "unauthenticated");
        TokenService past = new TokenService(
                new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                Duration.ofMinutes(1),
                "guildhall",
                Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC));
        String expired = past.issue(UserId.of("x"), WorkspaceId.of(DEMO), Role.OWNER.scopes())
                .token();
        assertProblem(http.get("/api/v1/runs", expired), 401, "unauthenticated");
    }

    @Test
    void a_token_follows_its_users_membership_as_it_is_now() {
        user("dora", DEMO, "member");
        String token = login("dora");
        UserId dora = identities.findUserByName("dora").orElseThrow().id();
        assertThat(http.post("/api/v1/runs", token, "{\"workflow\":\"nope\"}").status())
                .isEqualTo(404);

        identities.putMembership(new Membership(WorkspaceId.of(DEMO), dora, "viewer"), Instant.now());
        assertProblem(http.post("/api/v1/runs", token, "{\"workflow\":\"nope\"}"), 403, "forbidden");
        assertThat(http.get("/api/v1/runs", token).status()).isEqualTo(200);

        identities.putMembership(new Membership(WorkspaceId.of(ACME), dora, "owner"), Instant.now());
        try (var c = dataSource.getConnection();
                var s = c.prepareStatement("DELETE FROM memberships WHERE workspace = ? AND user_id = ?")) {
            s.setString(1, DEMO);
            s.setString(2, dora.value());
            s.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        assertProblem(http.get("/api/v1/runs", token), 401, "unauthenticated");
    }

    @Test
    void a_viewer_cannot_write_and_a_member_cannot_manage_keys() {
        String viewer = login("vic");
        assertThat(http.get("/api/v1/runs", viewer).status()).isEqualTo(200);
        assertProblem(http.post("/api/v1/runs", viewer, "{\"workflow\":\"support-desk\"}"), 403, "forbidden");
        assertProblem(http.post("/api/v1/runs/abc/cancel", viewer, null), 403, "forbidden");
        String member = login("mia");
        assertProblem(http.post("/api/v1/api-keys", member, "{\"name\":\"k\"}"), 403, "forbidden");
        assertProblem(http.get("/api/v1/api-keys", member), 403, "forbidden");
    }

    @Test
    void an_api_key_is_shown_once_works_in_both_headers_and_stops_when_revoked() {
        String owner = login("admin");
        Http.Response created =
                http.post("/api/v1/api-keys", owner, Http.json(Map.of("name", "ci", "scopes", List.of("runs:read"))));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        String key = created.json().get("key").asText();
        String id = created.json().get("apiKey").get("id").asText();
        String prefix = created.json().get("apiKey").get("prefix").asText();
        assertThat(key).startsWith(prefix + "_");

        Http.Response listed = http.get("/api/v1/api-keys", owner);
        assertThat(listed.raw().body()).contains(prefix).doesNotContain(key);
        assertThat(keyStore.find(WorkspaceId.of(DEMO), id).orElseThrow().secretHash())
                .doesNotContain(key);

        assertThat(http.get("/api/v1/runs", key).status()).isEqualTo(200);
        assertThat(http.send("GET", "/api/v1/runs", null, "Authorization", "Bearer " + key)
                        .status())
                .isEqualTo(200);
        assertProblem(http.post("/api/v1/runs", key, "{\"workflow\":\"support-desk\"}"), 403, "forbidden");
        assertProblem(http.get("/api/v1/agents", key), 403, "forbidden");

        String tampered = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");
        assertProblem(http.get("/api/v1/runs", tampered), 401, "unauthenticated");
        assertThat(http.delete("/api/v1/api-keys/" + id, owner).status()).isEqualTo(204);
        assertProblem(http.get("/api/v1/runs", key), 401, "unauthenticated");
        assertThat(http.get("/api/v1/api-keys/" + id, owner)
                        .json()
                        .get("revokedAt")
                        .isTextual())
                .isTrue();
    }

    @Test
    void a_key_cannot_exceed_its_creator_and_an_expired_key_is_refused() {
        String owner = login("admin");
        Http.Response unknown =
                http.post("/api/v1/api-keys", owner, Http.json(Map.of("name", "k", "scopes", List.of("root"))));
        assertProblem(unknown, 400, "validation");
        assertThat(unknown.json().get("field").asText()).isEqualTo("scopes");
        Http.Response past = http.post(
                "/api/v1/api-keys", owner, Http.json(Map.of("name", "k", "expiresAt", "2001-01-01T00:00:00Z")));
        assertProblem(past, 400, "validation");
        assertThat(past.json().get("field").asText()).isEqualTo("expiresAt");

        Http.Response soon = http.post(
                "/api/v1/api-keys",
                owner,
                Http.json(Map.of(
                        "name",
                        "short",
                        "expiresAt",
                        Instant.now().plusSeconds(2).toString())));
        String key = soon.json().get("key").asText();
        assertThat(http.get("/api/v1/runs", key).status()).isEqualTo(200);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertProblem(http.get("/api/v1/runs", key), 401, "unauthenticated"));
        assertThat(Set.of(keyStore.list(WorkspaceId.of(DEMO)).stream()
                        .map(k -> k.name())
                        .toArray()))
                .contains("short");
    }
}
