package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTParser;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Sign-in through an OpenID Connect provider, end to end: the real authorization-code flow over
 * HTTP between a cookie-keeping client that follows redirects, the server, and a local OIDC server
 * (mock-oauth2-server), which signs in whoever the next enqueued callback names.
 */
class OidcSignInIT extends ServerTestSupport {
    private static final String CLIENT_ID = "guildhall-client";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MockOAuth2Server IDP = start();

    @DynamicPropertySource
    static void oidc(DynamicPropertyRegistry registry) {
        registry.add("guildhall.oidc.issuer-uri", () -> IDP.issuerUrl("idp").toString());
        registry.add("guildhall.oidc.client-id", () -> CLIENT_ID);
        registry.add("guildhall.oidc.client-secret", () -> "client-secret");
    }

    @AfterAll
    static void stop() {
        IDP.shutdown();
    }

    @Test
    void a_first_sign_in_creates_a_member_of_the_default_workspace_and_issues_our_token() throws Exception {
        JsonNode signedIn = signIn("subject-new", Map.of("email", "nora@example.test", "email_verified", true));

        assertThat(signedIn.path("workspace").asText()).isEqualTo(DEMO);
        assertThat(signedIn.path("role").asText()).isEqualTo("member");
        assertThat(signedIn.path("username").asText()).isEqualTo("nora@example.test");
        String token = signedIn.path("accessToken").asText();
        assertThat(http.get("/api/v1/agents", token).status()).isEqualTo(200);
        assertThat(identities.findUserByName("nora@example.test")).isPresent();

        JsonNode again = signIn("subject-new", Map.of("email", "nora.new@example.test", "email_verified", true));
        assertThat(subject(again)).isEqualTo(subject(signedIn)); // The same person, though the email changed.
    }

    @Test
    void a_verified_email_links_the_existing_local_user_of_that_name() throws Exception {
        user("lea@example.test", DEMO, "viewer");
        String local =
                identities.findUserByName("lea@example.test").orElseThrow().id().value();

        JsonNode signedIn = signIn("subject-lea", Map.of("email", "lea@example.test", "email_verified", true));

        assertThat(subject(signedIn)).isEqualTo(local);
        assertThat(signedIn.path("role").asText()).isEqualTo("viewer");
    }

    @Test
    void an_unverified_email_never_takes_over_a_local_user() throws Exception {
        String local = identities.findUserByName("mia").orElseThrow().id().value();
        user("mallory-target@example.test", DEMO, "admin");
        String target = identities
                .findUserByName("mallory-target@example.test")
                .orElseThrow()
                .id()
                .value();

        JsonNode signedIn =
                signIn("subject-mallory", Map.of("email", "mallory-target@example.test", "email_verified", false));

        assertThat(subject(signedIn)).isNotIn(local, target);
        assertThat(signedIn.path("role").asText()).isEqualTo("member");
        assertThat(signedIn.path("username").asText()).startsWith("oidc-");
    }

    @Test
    void a_forged_callback_gets_a_problem_and_no_token() throws Exception {
        HttpResponse<String> forged = browser()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://localhost:" + port + "/login/oauth2/code/oidc?code=stolen&state=guess"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(forged.body()).doesNotContain("accessToken");
    }

    /** The browser's part: start at the server, follow the provider's redirect back, read the answer. */
    private JsonNode signIn(String subject, Map<String, Object> claims) throws Exception {
        IDP.enqueueCallback(new DefaultOAuth2TokenCallback("idp", subject, "JWT", List.of(CLIENT_ID), claims, 3600));
        HttpResponse<String> r = browser()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/oauth2/authorization/oidc"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.uri().getPath()).isEqualTo("/login/oauth2/code/oidc");
        return JSON.readTree(r.body());
    }

    private static HttpClient browser() {
        return HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    private static String subject(JsonNode signedIn) throws Exception {
        return JWTParser.parse(signedIn.path("accessToken").asText())
                .getJWTClaimsSet()
                .getSubject();
    }

    private static MockOAuth2Server start() {
        MockOAuth2Server server = new MockOAuth2Server();
        server.start();
        return server;
    }
}
