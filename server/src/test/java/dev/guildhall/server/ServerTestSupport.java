package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.workspace.Workspace;
import dev.guildhall.store.jdbc.JdbcIdentityStore;
import dev.guildhall.store.jdbc.JdbcIdentityStore.Membership;
import dev.guildhall.store.jdbc.JdbcIdentityStore.User;
import dev.guildhall.store.jdbc.JdbcWorkspaceStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One server on a random port, on an H2 file in a temporary directory, shared by the test classes
 * that extend this (Spring caches the context). Users: {@code admin} owns workspace demo (the
 * support-desk examples), {@code mia} is a member and {@code vic} a viewer there, {@code bob} owns
 * workspace acme, which has no agents or workflows.
 */
@AutoConfigureObservability(tracing = false) // Spring's tests turn metrics export off otherwise.
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "guildhall.demo.examples=../examples/support-desk",
            "guildhall.admin.password=" + ServerTestSupport.PASSWORD,
            "guildhall.jwt.secret=" + ServerTestSupport.SECRET,
            "guildhall.max-request-bytes=65536",
            "guildhall.rate-limit-per-minute=1000000"
        })
abstract class ServerTestSupport {
    static final String PASSWORD = "correct horse battery staple";
    static final String SECRET = "test-secret-that-is-at-least-32-bytes-long!";
    static final String DEMO = "demo";
    static final String ACME = "acme";

    @LocalServerPort
    int port;

    @Autowired
    JdbcIdentityStore identities;

    @Autowired
    JdbcWorkspaceStore workspaces;

    @Autowired
    PasswordEncoder passwords;

    Http http;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("guildhall-server-it");
        registry.add("guildhall.data-dir", dir::toString);
    }

    @org.junit.jupiter.api.BeforeEach
    void connect() {
        http = new Http(port);
        seed();
    }

    /** Idempotent: the context (and its database) is shared by many tests. */
    synchronized void seed() {
        if (workspaces.find(WorkspaceId.of(ACME)).isEmpty()) {
            workspaces.create(new Workspace(WorkspaceId.of(ACME), "Acme", Instant.now()));
        }
        user("mia", DEMO, "member");
        user("vic", DEMO, "viewer");
        user("bob", ACME, "owner");
    }

    void user(String name, String workspace, String role) {
        if (identities.findUserByName(name).isPresent()) {
            return;
        }
        UserId id = UserId.of(UUID.randomUUID().toString());
        identities.createUser(new User(id, name, passwords.encode(PASSWORD), Instant.now()));
        identities.putMembership(new Membership(WorkspaceId.of(workspace), id, role), Instant.now());
    }

    /**
     * A token for the user's home workspace (bob: acme, the others: demo), named explicitly because
     * other tests make admin a member of more workspaces.
     */
    String login(String username) {
        String home = username.equals("bob") ? ACME : DEMO;
        Http.Response r = http.send(
                "POST",
                "/api/v1/auth/login",
                Http.json(Map.of("username", username, "password", PASSWORD, "workspace", home)));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json().get("accessToken").asText();
    }

    /** Starts a support-desk run in demo and returns its id. */
    String startRun(String token, String message) {
        Http.Response r = http.post(
                "/api/v1/runs",
                token,
                Http.json(Map.of("workflow", "support-desk", "input", Map.of("message", message))));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    static void assertProblem(Http.Response r, int status, String type) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("type").asText()).isEqualTo("https://guildhall.dev/problems/" + type);
        assertThat(r.json().path("title").asText()).isNotBlank();
        assertThat(r.json().path("status").asInt()).isEqualTo(status);
    }
}
