package dev.guildhall.server.api;

import dev.guildhall.core.WorkspaceId;
import dev.guildhall.server.security.Caller;
import dev.guildhall.server.security.Role;
import dev.guildhall.server.security.TokenService;
import dev.guildhall.store.jdbc.JdbcIdentityStore;
import dev.guildhall.store.jdbc.JdbcIdentityStore.Membership;
import dev.guildhall.store.jdbc.JdbcIdentityStore.User;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Sign-in for local users: a password in, a token for one workspace out. */
@RestController
@RequestMapping("/api/v1/auth")
class AuthController {
    private final JdbcIdentityStore identities;
    private final PasswordEncoder passwords;
    private final TokenService tokens;
    private final Clock clock;
    /** Compared against when the user does not exist, so both cases take as long. */
    private final String decoy;

    AuthController(JdbcIdentityStore identities, PasswordEncoder passwords, TokenService tokens, Clock clock) {
        this.identities = identities;
        this.passwords = passwords;
        this.tokens = tokens;
        this.clock = clock;
        this.decoy = passwords.encode("decoy-password-never-matches");
    }

    /**
     * @param workspace the workspace the token is for; may be left out when the user belongs to exactly one
     */
    record LoginRequest(
            @NotBlank @Size(max = 200) String username,
            @NotBlank @Size(max = 1000) String password,
            @Nullable @Size(max = 200) String workspace) {}

    record LoginResponse(
            String accessToken,
            String tokenType,
            long expiresIn,
            Instant expiresAt,
            String workspace,
            String role,
            List<String> scopes) {}

    @PostMapping("/login")
    LoginResponse login(@Valid @RequestBody LoginRequest body) {
        Optional<User> user = identities.findUserByName(body.username());
        String hash = user.map(User::passwordHash).orElse(null);
        boolean ok =
                passwords.matches(body.password(), hash == null ? decoy : hash) && user.isPresent() && hash != null;
        if (!ok) {
            throw invalid();
        }
        List<Membership> memberships = identities.memberships(user.get().id());
        Membership membership;
        if (body.workspace() != null && !body.workspace().isBlank()) {
            WorkspaceId wanted = WorkspaceId.of(body.workspace());
            membership = memberships.stream()
                    .filter(m -> m.workspace().equals(wanted))
                    .findFirst()
                    .orElseThrow(AuthController::invalid);
        } else if (memberships.size() == 1) {
            membership = memberships.get(0);
        } else {
            throw ProblemException.invalid(
                    "workspace",
                    memberships.isEmpty()
                            ? "this user belongs to no workspace"
                            : "this user belongs to several workspaces; name one");
        }
        return issue(membership);
    }

    record SwitchRequest(@NotBlank @Size(max = 200) String workspace) {}

    /**
     * A token for another workspace the caller belongs to, in exchange for a valid token (not an API
     * key, which stays in its workspace). A workspace they do not belong to is "not found".
     */
    @PostMapping("/switch")
    LoginResponse switchWorkspace(@AuthenticationPrincipal Caller caller, @Valid @RequestBody SwitchRequest body) {
        // Membership first: whether the workspace exists is not told to anyone outside it.
        Membership membership = identities
                .findMembership(WorkspaceId.of(body.workspace()), caller.user())
                .orElseThrow(() -> ProblemException.notFound("Workspace", body.workspace()));
        if (caller.viaApiKey()) {
            throw ProblemException.forbidden("An API key acts in its own workspace only");
        }
        return issue(membership);
    }

    private LoginResponse issue(Membership membership) {
        Role role = Role.parse(membership.role());
        TokenService.Issued issued = tokens.issue(membership.user(), membership.workspace(), role.scopes());
        return new LoginResponse(
                issued.token(),
                "Bearer",
                Math.max(
                        0, issued.expiresAt().getEpochSecond() - clock.instant().getEpochSecond()),
                issued.expiresAt(),
                membership.workspace().value(),
                role.id(),
                role.scopes().stream().sorted().toList());
    }

    /** One answer for a wrong user, password or workspace, so none of them can be probed. */
    private static ProblemException invalid() {
        return new ProblemException(Problems.of(
                HttpStatus.UNAUTHORIZED,
                Problems.INVALID_CREDENTIALS,
                "Invalid credentials",
                "The username, password or workspace is wrong"));
    }
}
