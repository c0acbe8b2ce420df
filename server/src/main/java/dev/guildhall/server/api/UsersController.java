package dev.guildhall.server.api;

import dev.guildhall.core.UserId;
import dev.guildhall.server.security.Caller;
import dev.guildhall.server.security.Role;
import dev.guildhall.server.security.Scopes;
import dev.guildhall.store.jdbc.JdbcIdentityStore;
import dev.guildhall.store.jdbc.JdbcIdentityStore.Membership;
import dev.guildhall.store.jdbc.JdbcIdentityStore.User;
import dev.guildhall.store.jdbc.JdbcWorkspaceStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Local users: an admin creates them (optionally into their workspace); anyone reads who they are. */
@RestController
@RequestMapping("/api/v1/users")
class UsersController {
    private final JdbcIdentityStore identities;
    private final JdbcWorkspaceStore workspaces;
    private final PasswordEncoder passwords;
    private final Clock clock;
    private final AuditController.Recorder audit;

    UsersController(
            JdbcIdentityStore identities,
            JdbcWorkspaceStore workspaces,
            PasswordEncoder passwords,
            Clock clock,
            AuditController.Recorder audit) {
        this.identities = identities;
        this.workspaces = workspaces;
        this.passwords = passwords;
        this.clock = clock;
        this.audit = audit;
    }

    /**
     * @param role when set, the new user joins the caller's workspace with this role
     */
    record CreateUser(
            @NotBlank
                    @Pattern(
                            regexp = "[A-Za-z0-9._@-]{1,200}",
                            message = "must be 1 to 200 letters, digits, '.', '_', '@' or '-'")
                    String username,
            @NotBlank @Size(min = 12, max = 1000, message = "must be 12 to 1000 characters") String password,
            @Nullable @Pattern(regexp = "owner|admin|member|viewer", message = "must be owner, admin, member or viewer")
                    String role) {}

    record UserView(String id, String username, Instant createdAt) {}

    record MembershipView(String workspace, String name, String role) {}

    record Me(
            String id,
            String username,
            String workspace,
            String role,
            List<String> scopes,
            String via,
            List<MembershipView> memberships) {}

    @PostMapping
    @PreAuthorize("hasAuthority('SCOPE_users:admin')")
    ResponseEntity<UserView> create(
            @AuthenticationPrincipal Caller caller, @Valid @RequestBody CreateUser body, HttpServletRequest http) {
        if (Role.OWNER.id().equals(body.role()) && !caller.scopes().contains(Scopes.WORKSPACE_ADMIN)) {
            throw ProblemException.forbidden("Only an owner can make another owner");
        }
        Instant now = clock.instant();
        User user = new User(
                UserId.of(UUID.randomUUID().toString()), body.username(), passwords.encode(body.password()), now);
        try {
            identities.createUser(user);
        } catch (IllegalArgumentException e) {
            throw ProblemException.conflict("The username " + body.username() + " is taken");
        }
        if (body.role() != null) {
            identities.putMembership(new Membership(caller.workspace(), user.id(), body.role()), now);
        }
        audit.record(
                caller,
                "user.create",
                user.id().value(),
                "username=" + body.username() + (body.role() == null ? "" : " role=" + body.role()),
                http);
        return ResponseEntity.created(URI.create("/api/v1/users/" + user.id().value()))
                .body(new UserView(user.id().value(), user.username(), now));
    }

    /** The caller: who they are, where this credential acts, and every workspace they belong to. */
    @GetMapping("/me")
    Me me(@AuthenticationPrincipal Caller caller) {
        User user = identities.findUser(caller.user()).orElseThrow(() -> ProblemException.notFound("User", "me"));
        String role = identities
                .findMembership(caller.workspace(), caller.user())
                .map(Membership::role)
                .orElse("");
        List<MembershipView> memberships = identities.memberships(caller.user()).stream()
                .filter(m -> !caller.viaApiKey() || m.workspace().equals(caller.workspace()))
                .map(m -> new MembershipView(
                        m.workspace().value(),
                        workspaces
                                .find(m.workspace())
                                .map(w -> w.name())
                                .orElse(m.workspace().value()),
                        m.role()))
                .toList();
        return new Me(
                user.id().value(),
                user.username(),
                caller.workspace().value(),
                role,
                caller.scopes().stream().sorted().toList(),
                caller.viaApiKey() ? "api-key" : "token",
                memberships);
    }
}
