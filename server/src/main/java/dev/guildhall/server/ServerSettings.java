package dev.guildhall.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The server's settings, {@code guildhall.*} in {@code application.properties}, each also read from
 * the environment variable named there ({@code GUILDHALL_DB_URL}, ...).
 *
 * @param dataDir where the embedded database, the generated JWT secret and knowledge collections live
 * @param maxRequestBytes the largest request body accepted; larger ones get 413
 * @param rateLimitPerMinute requests a minute per API key, user or (anonymous) client address; 0 turns limiting off;
 *     the buckets are shared through Redis when {@code redis.url} is set
 * @param gatewayEnv model provider variables ({@code OPENAI_BASE_URL}, ...) that override the environment's
 */
@ConfigurationProperties("guildhall")
public record ServerSettings(
        @DefaultValue("data") String dataDir,
        @DefaultValue Db db,
        @DefaultValue Redis redis,
        @DefaultValue Jwt jwt,
        @DefaultValue Demo demo,
        @DefaultValue Admin admin,
        @DefaultValue Cors cors,
        @DefaultValue Oidc oidc,
        @DefaultValue("1048576") long maxRequestBytes,
        @DefaultValue("600") long rateLimitPerMinute,
        @Nullable Map<String, String> gatewayEnv) {

    public ServerSettings {
        gatewayEnv = gatewayEnv == null ? Map.of() : Map.copyOf(gatewayEnv);
    }

    /** Spring binds the data directory as a string: its Path conversion treats it as a class-path resource. */
    public Path dataPath() {
        return Path.of(dataDir);
    }

    /** The store's database: blank url means the embedded H2 file under the data directory. */
    public record Db(@Nullable String url, @Nullable String user, @Nullable String password) {
        public boolean embedded() {
            return url == null || url.isBlank();
        }
    }

    /** Redis for the event bus: blank url means the in-process bus. */
    public record Redis(@Nullable String url) {
        public boolean enabled() {
            return url != null && !url.isBlank();
        }
    }

    /**
     * Tokens the login endpoint issues, and tokens of an external issuer the server accepts too.
     *
     * @param secret the HS256 key, at least 32 bytes; generated under the data directory when blank on the embedded database
     * @param jwksUri where an external issuer publishes its RS256 keys (JWKS); blank accepts only our own tokens
     * @param jwksIssuer the {@code iss} the external tokens must carry; blank accepts any
     * @param jwksAudience an {@code aud} the external tokens must list; blank accepts any
     */
    public record Jwt(
            @Nullable String secret,
            @DefaultValue("1h") Duration ttl,
            @DefaultValue("guildhall") String issuer,
            @Nullable String jwksUri,
            @Nullable String jwksIssuer,
            @Nullable String jwksAudience) {
        public boolean jwksEnabled() {
            return jwksUri != null && !jwksUri.isBlank();
        }
    }

    /**
     * Cross-origin requests from browsers.
     *
     * @param allowedOrigins origins such as {@code https://app.example.com}; empty allows none
     */
    public record Cors(@DefaultValue List<String> allowedOrigins) {
        public Cors {
            allowedOrigins = allowedOrigins.stream()
                    .map(String::trim)
                    .filter(o -> !o.isEmpty())
                    .toList();
        }
    }

    /**
     * Sign-in through an external OpenID Connect provider.
     *
     * @param issuerUri the provider's issuer; its discovery document names the endpoints. Blank turns sign-in off
     * @param defaultWorkspace where a user signing in for the first time becomes a member; blank means the demo workspace
     */
    public record Oidc(
            @Nullable String issuerUri,
            @Nullable String clientId,
            @Nullable String clientSecret,
            @Nullable String defaultWorkspace) {
        public boolean enabled() {
            return issuerUri != null && !issuerUri.isBlank();
        }
    }

    /**
     * The demo workspace created at start-up.
     *
     * @param examples the directory its agents ({@code agents/}) and workflow ({@code workflow.yaml}) come from
     */
    public record Demo(@DefaultValue("demo") String workspace, @Nullable String examples) {
        /** The examples directory, or null when none is configured. */
        public @Nullable Path examplesDir() {
            return examples == null || examples.isBlank() ? null : Path.of(examples);
        }
    }

    /**
     * The first user, created when there is none.
     *
     * @param password when blank, one is generated and printed once
     */
    public record Admin(@DefaultValue("admin") String username, @Nullable String password) {}
}
