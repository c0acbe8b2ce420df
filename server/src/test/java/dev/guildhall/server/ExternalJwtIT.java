package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * RS256 tokens of an external issuer, checked against its keys published as a JWKS by a real HTTP
 * server on a random port. They carry the same claims as ours and pass the same membership check.
 */
class ExternalJwtIT extends ServerTestSupport {
    private static final String ISSUER = "https://idp.example.test";
    private static final String AUDIENCE = "guildhall-api";
    private static final RSAKey KEY = generate("idp-key-1");
    private static final RSAKey STRANGER = generate("idp-key-1"); // Same key id, another key.
    private static final AtomicInteger JWKS_FETCHES = new AtomicInteger();
    private static final HttpServer JWKS = serve(new JWKSet(KEY.toPublicJWK()));

    @DynamicPropertySource
    static void jwks(DynamicPropertyRegistry registry) {
        registry.add(
                "guildhall.jwt.jwks-uri",
                () -> "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks.json");
        registry.add("guildhall.jwt.jwks-issuer", () -> ISSUER);
        registry.add("guildhall.jwt.jwks-audience", () -> AUDIENCE);
    }

    @AfterAll
    static void stop() {
        JWKS.stop(0);
    }

    @Test
    void a_token_signed_with_the_published_key_is_accepted_with_its_claims() {
        String token = sign(
                KEY, claims(adminId(), DEMO, ISSUER, AUDIENCE, Instant.now().plusSeconds(300)));

        Http.Response agents = http.get("/api/v1/agents", token);
        assertThat(agents.status()).as(agents.raw().body()).isEqualTo(200);
        assertThat(agents.json().size()).isGreaterThan(0);
        assertThat(JWKS_FETCHES.get()).isPositive();
        // The token's scope is agents:read and runs:read only: starting a run is not among them.
        assertProblem(
                http.post("/api/v1/runs", token, Http.json(java.util.Map.of("workflow", "support-desk"))),
                403,
                "forbidden");
        // Our own HS256 tokens keep working next to the external ones.
        assertThat(http.get("/api/v1/agents", login("admin")).status()).isEqualTo(200);
    }

    @Test
    void a_token_signed_with_another_key_is_refused() {
        String token = sign(
                STRANGER,
                claims(adminId(), DEMO, ISSUER, AUDIENCE, Instant.now().plusSeconds(300)));
        assertProblem(http.get("/api/v1/agents", token), 401, "unauthenticated");
    }

    @Test
    void an_expired_token_is_refused() {
        String token = sign(
                KEY, claims(adminId(), DEMO, ISSUER, AUDIENCE, Instant.now().minusSeconds(600)));
        assertProblem(http.get("/api/v1/agents", token), 401, "unauthenticated");
    }

    @Test
    void a_token_of_another_issuer_or_for_another_audience_is_refused() {
        Instant exp = Instant.now().plusSeconds(300);
        assertProblem(
                http.get("/api/v1/agents", sign(KEY, claims(adminId(), DEMO, "https://evil.test", AUDIENCE, exp))),
                401,
                "unauthenticated");
        assertProblem(
                http.get("/api/v1/agents", sign(KEY, claims(adminId(), DEMO, ISSUER, "someone-else", exp))),
                401,
                "unauthenticated");
    }

    @Test
    void a_valid_token_for_a_workspace_its_user_is_not_a_member_of_is_refused() {
        String token = sign(
                KEY, claims(adminId(), ACME, ISSUER, AUDIENCE, Instant.now().plusSeconds(300)));
        assertProblem(http.get("/api/v1/agents", token), 401, "unauthenticated");
    }

    private String adminId() {
        return identities.findUserByName("admin").orElseThrow().id().value();
    }

    private static JWTClaimsSet claims(String sub, String ws, String iss, String aud, Instant exp) {
        return new JWTClaimsSet.Builder()
                .subject(sub)
                .issuer(iss)
                .audience(List.of(aud))
                .issueTime(Date.from(exp.minus(Duration.ofMinutes(15))))
                .expirationTime(Date.from(exp))
                .claim("ws", ws)
                .claim("scope", "agents:read runs:read")
                .build();
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(key.getKeyID())
                            .build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey generate(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer serve(JWKSet keys) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] body = keys.toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks.json", exchange -> {
                JWKS_FETCHES.incrementAndGet();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
