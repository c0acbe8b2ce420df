package dev.guildhall.server.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.server.ServerSettings;
import dev.guildhall.store.jdbc.JdbcExternalIdentityStore;
import dev.guildhall.store.jdbc.JdbcIdentityStore;
import dev.guildhall.store.jdbc.JdbcIdentityStore.Membership;
import dev.guildhall.store.jdbc.JdbcIdentityStore.User;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Sign-in through an external OpenID Connect provider (Spring Security's OAuth2 client, the
 * authorization-code flow), on when {@code guildhall.oidc.issuer-uri} is set. A browser goes to
 * {@code /oauth2/authorization/oidc}, signs in at the provider, and comes back to
 * {@code /login/oauth2/code/oidc}, which answers with one of our own tokens, exactly like the
 * password login. The session lives only for the round trip (it holds the flow's state and nonce).
 *
 * <p>The provider's identity (issuer and subject) maps to a local user: the one it was linked to
 * before; else the user whose name is the identity's email, when the provider says the email is
 * verified; else a new user (named after the email when it is free) who becomes a member of the
 * default workspace.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(OidcSignIn.Configured.class)
public class OidcSignIn {
    static final String REGISTRATION = "oidc";
    private static final Logger LOG = LoggerFactory.getLogger(OidcSignIn.class);

    /** True when an issuer is configured (an empty placeholder counts as none). */
    static final class Configured implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String issuer = context.getEnvironment().getProperty("guildhall.oidc.issuer-uri");
            return issuer != null && !issuer.isBlank();
        }
    }

    @Bean
    ClientRegistrationRepository clientRegistrations(ServerSettings settings) {
        ServerSettings.Oidc oidc = settings.oidc();
        if (oidc.clientId() == null || oidc.clientId().isBlank()) {
            throw new IllegalStateException("GUILDHALL_OIDC_CLIENT_ID must be set with GUILDHALL_OIDC_ISSUER_URI");
        }
        // Reads the provider's discovery document now, so a wrong issuer fails the start, not a sign-in.
        ClientRegistration registration = ClientRegistrations.fromIssuerLocation(oidc.issuerUri())
                .registrationId(REGISTRATION)
                .clientId(oidc.clientId())
                .clientSecret(oidc.clientSecret() == null ? "" : oidc.clientSecret())
                .scope("openid", "email", "profile")
                .build();
        return new InMemoryClientRegistrationRepository(registration);
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain oidcSignInChain(
            HttpSecurity http,
            ClientRegistrationRepository registrations,
            JdbcIdentityStore identities,
            JdbcExternalIdentityStore links,
            TokenService tokens,
            ServerSettings settings,
            ObjectMapper mapper,
            Clock clock)
            throws Exception {
        ProblemResponses problems = new ProblemResponses(mapper);
        Linker linker = new Linker(identities, links, settings, clock);
        http.securityMatcher("/oauth2/**", "/login/oauth2/**")
                .csrf(AbstractHttpConfigurer::disable)
                .headers(SecurityConfiguration::headers)
                .requestCache(AbstractHttpConfigurer::disable)
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .oauth2Login(o -> o.clientRegistrationRepository(registrations)
                        .successHandler((request, response, authentication) ->
                                signedIn(request, response, authentication, linker, tokens, mapper))
                        .failureHandler((request, response, e) -> {
                            endSession(request);
                            problems.commence(
                                    request,
                                    response,
                                    new org.springframework.security.authentication.BadCredentialsException(
                                            "sign-in failed"));
                        }));
        return http.build();
    }

    private static void signedIn(
            HttpServletRequest request,
            HttpServletResponse response,
            Authentication authentication,
            Linker linker,
            TokenService tokens,
            ObjectMapper mapper)
            throws IOException {
        endSession(request);
        OidcUser oidc = (OidcUser) authentication.getPrincipal();
        String issuer = oidc.getIssuer().toString();
        Linker.Linked linked = linker.link(issuer, oidc.getSubject(), oidc.getEmail(), oidc.getEmailVerified());
        Role role = Role.parse(linked.membership().role());
        TokenService.Issued issued =
                tokens.issue(linked.user().id(), linked.membership().workspace(), role.scopes());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accessToken", issued.token());
        body.put("tokenType", "Bearer");
        body.put(
                "expiresIn",
                Duration.between(java.time.Instant.now(), issued.expiresAt()).toSeconds());
        body.put("expiresAt", issued.expiresAt().toString());
        body.put("workspace", linked.membership().workspace().value());
        body.put("role", role.id());
        body.put("scopes", role.scopes().stream().sorted().toList());
        body.put("username", linked.user().username());
        response.setStatus(HttpStatus.OK.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        mapper.writeValue(response.getOutputStream(), body);
        LOG.info("User(id={}) signed in through {}", linked.user().id().value(), issuer);
    }

    /** The session held only the flow's state; our token is what the client keeps. */
    private static void endSession(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }

    /** Maps an external identity to a local user and a membership, creating them when needed. */
    static final class Linker {
        private final JdbcIdentityStore identities;
        private final JdbcExternalIdentityStore links;
        private final WorkspaceId defaultWorkspace;
        private final Clock clock;

        record Linked(User user, Membership membership) {}

        Linker(JdbcIdentityStore identities, JdbcExternalIdentityStore links, ServerSettings settings, Clock clock) {
            this.identities = identities;
            this.links = links;
            String ws = settings.oidc().defaultWorkspace();
            this.defaultWorkspace =
                    WorkspaceId.of(ws == null || ws.isBlank() ? settings.demo().workspace() : ws);
            this.clock = clock;
        }

        Linked link(String issuer, String subject, @Nullable String email, @Nullable Boolean emailVerified) {
            UserId id = links.findUser(issuer, subject).orElseGet(() -> {
                UserId user = Optional.ofNullable(Boolean.TRUE.equals(emailVerified) ? email : null)
                        .flatMap(identities::findUserByName)
                        .map(User::id)
                        .orElseGet(() -> create(issuer, subject, email));
                return links.link(issuer, subject, user, email, clock.instant());
            });
            User user = identities
                    .findUserById(id)
                    .orElseThrow(() ->
                            new IllegalStateException("external identity linked to a missing user " + id.value()));
            List<Membership> memberships = identities.memberships(id);
            Membership membership = memberships.stream()
                    .filter(m -> m.workspace().equals(defaultWorkspace))
                    .findFirst()
                    .or(() -> memberships.stream().findFirst())
                    .orElseGet(() -> {
                        Membership m = new Membership(defaultWorkspace, id, Role.MEMBER.id());
                        identities.putMembership(m, clock.instant());
                        return m;
                    });
            return new Linked(user, membership);
        }

        /** A new user without a password, named after the email when that name is free. */
        private UserId create(String issuer, String subject, @Nullable String email) {
            UserId id = UserId.of(UUID.randomUUID().toString());
            String fallback = "oidc-" + shortHash(issuer + " " + subject);
            for (String name : email != null && !email.isBlank() ? List.of(email, fallback) : List.of(fallback)) {
                try {
                    identities.createUser(new User(id, name, null, clock.instant()));
                    return id;
                } catch (IllegalArgumentException taken) {
                    // An unverified email must not take over the local user of that name: next name.
                }
            }
            throw new IllegalStateException("no free username for " + fallback);
        }

        private static String shortHash(String s) {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(d, 0, 8);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
