package dev.guildhall.server.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTParser;
import dev.guildhall.server.ServerSettings;
import dev.guildhall.store.jdbc.JdbcApiKeyStore;
import dev.guildhall.store.jdbc.JdbcIdentityStore;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Who may call what: everything needs a bearer token or an API key except health, the OpenAPI
 * document and login. Scopes are checked on each controller method ({@code @PreAuthorize}); the
 * workspace is checked by the data layer, which only ever reads the caller's workspace.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
public class SecurityConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);
    private static final int MIN_SECRET_BYTES = 32;

    @Bean
    SecurityFilterChain api(
            HttpSecurity http,
            ApiKeys keys,
            TokenService tokens,
            JdbcIdentityStore identities,
            ObjectMapper mapper,
            ServerSettings settings,
            RateLimitBuckets buckets,
            MeterRegistry meters)
            throws Exception {
        ProblemResponses problems = new ProblemResponses(mapper);
        DefaultBearerTokenResolver standard = new DefaultBearerTokenResolver();
        BearerTokenResolver jwtOnly =
                request -> ApiKeyFilter.presentedKey(request).isPresent() ? null : standard.resolve(request);
        http.csrf(AbstractHttpConfigurer::disable)
                .cors(c -> c.configurationSource(cors(settings.cors())))
                .headers(SecurityConfiguration::headers)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
                        .permitAll() // Re-dispatches of a request that was already authorised (SSE, errors).
                        .requestMatchers("/actuator/health", "/actuator/health/**")
                        .permitAll()
                        .requestMatchers("/actuator/prometheus")
                        .hasAuthority("SCOPE_" + Scopes.METRICS_READ)
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/auth/login")
                        .permitAll()
                        .requestMatchers("/error")
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .oauth2ResourceServer(o -> o.bearerTokenResolver(jwtOnly)
                        .jwt(j -> j.decoder(decoder(tokens, settings.jwt()))
                                .jwtAuthenticationConverter(
                                        jwt -> current(TokenService.toAuthentication(jwt), identities)))
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .addFilterBefore(new ApiKeyFilter(keys, problems), BearerTokenAuthenticationFilter.class)
                .addFilterAfter(new RateLimitFilter(buckets, mapper, meters), BearerTokenAuthenticationFilter.class);
        return http.build();
    }

    /**
     * Spring Security already sends {@code X-Content-Type-Options: nosniff}, {@code X-Frame-Options:
     * DENY}, {@code Cache-Control: no-store} and, on requests that arrived over TLS (directly or
     * through a proxy's {@code X-Forwarded-Proto}), HSTS. To that: a CSP that lets an API answer load
     * nothing at all, a looser one for the Swagger UI's own scripts and styles, and no referrer.
     */
    static void headers(HeadersConfigurer<HttpSecurity> h) {
        RequestMatcher swagger = new OrRequestMatcher(
                PathPatternRequestMatcher.withDefaults().matcher("/swagger-ui/**"),
                PathPatternRequestMatcher.withDefaults().matcher("/swagger-ui.html"));
        h.referrerPolicy(r -> r.policy(ReferrerPolicy.NO_REFERRER))
                .httpStrictTransportSecurity(t -> t.maxAgeInSeconds(31_536_000).includeSubDomains(true))
                .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                        new NegatedRequestMatcher(swagger),
                        new StaticHeadersWriter("Content-Security-Policy", API_CSP)))
                .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                        swagger, new StaticHeadersWriter("Content-Security-Policy", SWAGGER_CSP)));
    }

    static final String API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    static final String SWAGGER_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** Browsers from the configured origins may call the API; with none configured, no origin may. */
    static CorsConfigurationSource cors(ServerSettings.Cors settings) {
        var source = new UrlBasedCorsConfigurationSource();
        if (settings.allowedOrigins().isEmpty()) {
            return source;
        }
        var c = new CorsConfiguration();
        c.setAllowedOrigins(settings.allowedOrigins());
        c.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
        c.setAllowedHeaders(
                List.of("Authorization", "Content-Type", ApiKeyFilter.HEADER, "Idempotency-Key", "Last-Event-ID"));
        c.setExposedHeaders(
                List.of("Location", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"));
        // Credentials are bearer tokens and keys the page sends itself, never cookies.
        c.setAllowCredentials(false);
        c.setMaxAge(java.time.Duration.ofHours(1));
        source.registerCorsConfiguration("/api/**", c);
        return source;
    }

    /**
     * Our HS256 tokens, and when a JWKS URL is configured, RS256 tokens of that issuer too, told apart
     * by the header's {@code alg}. Both carry the same claims ({@code sub} the user, {@code ws} the
     * workspace, {@code scope}) and both then pass the membership check of {@link #current}.
     */
    static JwtDecoder decoder(TokenService tokens, ServerSettings.Jwt jwt) {
        if (!jwt.jwksEnabled()) {
            return tokens.decoder();
        }
        var external = NimbusJwtDecoder.withJwkSetUri(jwt.jwksUri())
                .jwsAlgorithm(SignatureAlgorithm.RS256)
                .build();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtTimestampValidator());
        if (jwt.jwksIssuer() != null && !jwt.jwksIssuer().isBlank()) {
            validators.add(new JwtIssuerValidator(jwt.jwksIssuer()));
        }
        String audience = jwt.jwksAudience();
        if (audience != null && !audience.isBlank()) {
            validators.add(new JwtClaimValidator<List<String>>(
                    JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience)));
        }
        external.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        JwtDecoder own = tokens.decoder();
        return token -> {
            String alg;
            try {
                alg = JWTParser.parse(token).getHeader().getAlgorithm().getName();
            } catch (java.text.ParseException e) {
                throw new BadJwtException("malformed token", e);
            }
            return "HS256".equals(alg) ? own.decode(token) : external.decode(token);
        };
    }

    @Bean(destroyMethod = "close")
    RateLimitBuckets rateLimitBuckets(ServerSettings settings) {
        return settings.redis().enabled()
                ? RateLimitBuckets.redis(
                        settings.rateLimitPerMinute(), settings.redis().url())
                : RateLimitBuckets.local(settings.rateLimitPerMinute());
    }

    /**
     * The token's caller as of now: a token whose user has left the workspace stops working, and its
     * scopes shrink to what the user's role grants today (one indexed lookup per request).
     */
    static CallerAuthentication current(CallerAuthentication fromToken, JdbcIdentityStore identities) {
        Caller caller = fromToken.getPrincipal();
        JdbcIdentityStore.Membership membership = identities
                .findMembership(caller.workspace(), caller.user())
                .orElseThrow(() -> new org.springframework.security.oauth2.server.resource.InvalidBearerTokenException(
                        "the token's user is no longer a member of its workspace"));
        java.util.Set<String> scopes = new java.util.HashSet<>(caller.scopes());
        scopes.retainAll(Role.parse(membership.role()).scopes());
        return new CallerAuthentication(new Caller(caller.user(), caller.workspace(), scopes, caller.via()));
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        // bcrypt by default, and stored hashes name their algorithm ({bcrypt}...), so it can change later.
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    ApiKeys apiKeys(JdbcApiKeyStore store, JdbcIdentityStore identities, Clock clock) {
        return new ApiKeys(store, identities, clock);
    }

    @Bean
    TokenService tokenService(ServerSettings settings, Clock clock) throws IOException {
        return new TokenService(
                signingKey(settings), settings.jwt().ttl(), settings.jwt().issuer(), clock);
    }

    /**
     * The configured secret; on the embedded database without one, a secret generated once and kept
     * in the data directory (readable by its owner only), so tokens survive a restart.
     */
    static SecretKey signingKey(ServerSettings settings) throws IOException {
        String secret = settings.jwt().secret();
        if (secret == null || secret.isBlank()) {
            if (!settings.db().embedded()) {
                throw new IllegalStateException(
                        "GUILDHALL_JWT_SECRET must be set (at least 32 bytes) when GUILDHALL_DB_URL is");
            }
            Path file = settings.dataPath().resolve("jwt-secret");
            if (Files.isRegularFile(file)) {
                secret = Files.readString(file, StandardCharsets.UTF_8).trim();
            } else {
                byte[] bytes = new byte[48];
                new SecureRandom().nextBytes(bytes);
                secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                Files.createDirectories(settings.dataPath());
                Files.writeString(file, secret, StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // Not a POSIX file system; the file keeps the directory's permissions.
                }
                LOG.info("Generated a JWT signing secret in {} (set GUILDHALL_JWT_SECRET to choose your own)", file);
            }
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("GUILDHALL_JWT_SECRET must be at least " + MIN_SECRET_BYTES
                    + " bytes for HS256, was " + bytes.length);
        }
        return new SecretKeySpec(bytes, "HmacSHA256");
    }
}
