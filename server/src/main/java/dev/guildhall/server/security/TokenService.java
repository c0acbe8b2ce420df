package dev.guildhall.server.security;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.SecretKey;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Issues and reads the server's HS256 tokens. A token names one user in one workspace and the
 * scopes of the user's role there (claims {@code sub}, {@code ws}, {@code scope}).
 */
public final class TokenService {
    static final String WORKSPACE_CLAIM = "ws";
    static final String SCOPE_CLAIM = "scope";

    private final JwtEncoder encoder;
    private final JwtDecoder decoder;
    private final Duration ttl;
    private final String issuer;
    private final Clock clock;

    public TokenService(SecretKey key, Duration ttl, String issuer, Clock clock) {
        this.encoder = new NimbusJwtEncoder(new ImmutableSecret<>(key));
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(key)
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
        // Our issuer is a name, not a URL: the default claim conversion would try to make it a URL
        // on every request and throw (and fill in a stack trace) each time.
        decoder.setClaimSetConverter(
                MappedJwtClaimSetConverter.withDefaults(Map.of(JwtClaimNames.ISS, issuerClaim -> issuerClaim)));
        this.decoder = decoder;
        this.ttl = ttl;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** A signed token and when it expires. */
    public record Issued(String token, Instant expiresAt) {}

    public Issued issue(UserId user, WorkspaceId workspace, Set<String> scopes) {
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(issuer)
                .subject(user.value())
                .issuedAt(now)
                .expiresAt(expires)
                .claim(WORKSPACE_CLAIM, workspace.value())
                .claim(SCOPE_CLAIM, String.join(" ", new TreeSet<>(scopes)))
                .build();
        JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).build();
        String token = encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
        return new Issued(token, expires);
    }

    public JwtDecoder decoder() {
        return decoder;
    }

    /** The caller a valid token stands for. */
    static CallerAuthentication toAuthentication(Jwt jwt) {
        String scope = jwt.getClaimAsString(SCOPE_CLAIM);
        Set<String> scopes = new HashSet<>(scope == null || scope.isBlank() ? List.of() : List.of(scope.split(" ")));
        scopes.retainAll(Scopes.ALL);
        String workspace = jwt.getClaimAsString(WORKSPACE_CLAIM);
        if (workspace == null || workspace.isBlank() || jwt.getSubject() == null) {
            throw new org.springframework.security.oauth2.server.resource.InvalidBearerTokenException(
                    "token has no workspace or subject");
        }
        return new CallerAuthentication(
                new Caller(UserId.of(jwt.getSubject()), WorkspaceId.of(workspace), scopes, "token"));
    }
}
