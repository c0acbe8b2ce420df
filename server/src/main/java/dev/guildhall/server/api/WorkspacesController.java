package dev.guildhall.server.api;

import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.workspace.Workspace;
import dev.guildhall.server.security.Caller;
import dev.guildhall.server.security.Role;
import dev.guildhall.server.security.Scopes;
import dev.guildhall.store.jdbc.JdbcIdentityStore;
import dev.guildhall.store.jdbc.JdbcIdentityStore.Change;
import dev.guildhall.store.jdbc.JdbcIdentityStore.Member;
import dev.guildhall.store.jdbc.JdbcIdentityStore.Membership;
import dev.guildhall.store.jdbc.JdbcWorkspaceStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Workspaces and their members. A token acts in one workspace: a workspace the caller is not a
 * member of is "not found"; changing one the caller belongs to but whose token is for another
 * workspace is forbidden until they switch ({@code POST /api/v1/auth/switch}).
 */
@RestController
@RequestMapping("/api/v1/workspaces")
class WorkspacesController {
    static final String WORKSPACE_ID = "[a-z0-9][a-z0-9-]{0,62}";
    private static final String ROLE = "owner|admin|member|viewer";

    private final JdbcWorkspaceStore workspaces;
    private final JdbcIdentityStore identities;
    private final Clock clock;
    private final AuditController.Recorder audit;

    WorkspacesController(
            JdbcWorkspaceStore workspaces, JdbcIdentityStore identities, Clock clock, AuditController.Recorder audit) {
        this.workspaces = workspaces;
        this.identities = identities;
        this.clock = clock;
        this.audit = audit;
    }

    record CreateWorkspace(
            @NotBlank @Pattern(regexp = WORKSPACE_ID, message = "must be 1 to 63 lower-case letters, digits or '-'")
                    String id,
            @NotBlank @Size(max = 400) String name) {}

    record RenameWorkspace(@NotBlank @Size(max = 400) String name) {}

    /** @param role the caller's role in it */
    record WorkspaceView(String id, String name, Instant createdAt, String role) {}

    record AddMember(
            @NotBlank @Size(max = 200) String username,
            @NotBlank @Pattern(regexp = ROLE, message = "must be owner, admin, member or viewer") String role) {}

    record ChangeRole(
            @NotBlank @Pattern(regexp = ROLE, message = "must be owner, admin, member or viewer") String role) {}

    record MemberView(String userId, String username, String role, Instant since) {
        static MemberView of(Member m) {
            return new MemberView(m.user().value(), m.username(), m.role(), m.since());
        }
    }

    /** Creates a workspace whose owner is the caller. Needs a signed-in user, not an API key. */
    @PostMapping
    ResponseEntity<WorkspaceView> create(
            @AuthenticationPrincipal Caller caller, @Valid @RequestBody CreateWorkspace body, HttpServletRequest http) {
        if (caller.viaApiKey()) {
            throw ProblemException.forbidden("An API key acts in its own workspace only; sign in to create one");
        }
        WorkspaceId id = WorkspaceId.of(body.id());
        Instant now = clock.instant();
        try {
            workspaces.create(new Workspace(id, body.name(), now));
        } catch (IllegalArgumentException e) {
            throw ProblemException.conflict("Workspace " + body.id() + " already exists");
        }
        identities.putMembership(new Membership(id, caller.user(), Role.OWNER.id()), now);
        audit.record(
                new Caller(caller.user(), id, caller.scopes(), caller.via()),
                "workspace.create",
                id.value(),
                "name=" + body.name(),
                http);
        return ResponseEntity.created(URI.create("/api/v1/workspaces/" + id.value()))
                .body(new WorkspaceView(id.value(), body.name(), now, Role.OWNER.id()));
    }

    /** The workspaces the caller belongs to (an API key: its own only). */
    @GetMapping
    List<WorkspaceView> list(@AuthenticationPrincipal Caller caller) {
        List<WorkspaceView> out = new ArrayList<>();
        for (Membership m : identities.memberships(caller.user())) {
            if (caller.viaApiKey() && !m.workspace().equals(caller.workspace())) {
                continue;
            }
            workspaces
                    .find(m.workspace())
                    .ifPresent(w -> out.add(new WorkspaceView(w.id().value(), w.name(), w.createdAt(), m.role())));
        }
        return out;
    }

    @GetMapping("/{id}")
    WorkspaceView get(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        Membership m = visible(caller, id);
        Workspace w = workspaces.find(m.workspace()).orElseThrow(() -> ProblemException.notFound("Workspace", id));
        return new WorkspaceView(w.id().value(), w.name(), w.createdAt(), m.role());
    }

    @PatchMapping("/{id}")
    @PreAuthorize("hasAuthority('SCOPE_workspace:admin')")
    WorkspaceView rename(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @Valid @RequestBody RenameWorkspace body,
            HttpServletRequest http) {
        Membership m = current(caller, id);
        if (!workspaces.rename(m.workspace(), body.name())) {
            throw ProblemException.notFound("Workspace", id);
        }
        audit.record(caller, "workspace.rename", id, "name=" + body.name(), http);
        return get(caller, id);
    }

    @GetMapping("/{id}/members")
    @PreAuthorize("hasAuthority('SCOPE_members:admin')")
    List<MemberView> members(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        Membership m = current(caller, id);
        return identities.members(m.workspace()).stream().map(MemberView::of).toList();
    }

    @PostMapping("/{id}/members")
    @PreAuthorize("hasAuthority('SCOPE_members:admin')")
    ResponseEntity<MemberView> addMember(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @Valid @RequestBody AddMember body,
            HttpServletRequest http) {
        Membership m = current(caller, id);
        requireOwnerPower(caller, body.role());
        JdbcIdentityStore.User user = identities
                .findUserByName(body.username())
                .orElseThrow(() -> ProblemException.notFound("User", body.username()));
        if (identities.findMembership(m.workspace(), user.id()).isPresent()) {
            throw ProblemException.conflict(body.username() + " is already a member; change the role instead");
        }
        Instant now = clock.instant();
        identities.putMembership(new Membership(m.workspace(), user.id(), body.role()), now);
        audit.record(caller, "member.add", user.id().value(), "role=" + body.role(), http);
        return ResponseEntity.created(URI.create(
                        "/api/v1/workspaces/" + id + "/members/" + user.id().value()))
                .body(new MemberView(user.id().value(), user.username(), body.role(), now));
    }

    @PatchMapping("/{id}/members/{userId}")
    @PreAuthorize("hasAuthority('SCOPE_members:admin')")
    MemberView changeRole(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @PathVariable String userId,
            @Valid @RequestBody ChangeRole body,
            HttpServletRequest http) {
        Membership m = current(caller, id);
        Membership target = member(m.workspace(), userId);
        requireOwnerPower(caller, body.role());
        requireOwnerPower(caller, target.role());
        apply(identities.changeMembership(m.workspace(), target.user(), body.role()), userId);
        audit.record(caller, "member.role", userId, target.role() + "->" + body.role(), http);
        return identities.members(m.workspace()).stream()
                .filter(x -> x.user().equals(target.user()))
                .findFirst()
                .map(MemberView::of)
                .orElseThrow(() -> ProblemException.notFound("Member", userId));
    }

    @DeleteMapping("/{id}/members/{userId}")
    @PreAuthorize("hasAuthority('SCOPE_members:admin')")
    ResponseEntity<Void> removeMember(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @PathVariable String userId,
            HttpServletRequest http) {
        Membership m = current(caller, id);
        Membership target = member(m.workspace(), userId);
        requireOwnerPower(caller, target.role());
        apply(identities.changeMembership(m.workspace(), target.user(), null), userId);
        audit.record(caller, "member.remove", userId, "role=" + target.role(), http);
        return ResponseEntity.noContent().build();
    }

    /** The caller's membership of {@code id}; 404 when they have none (or an API key names another workspace). */
    private Membership visible(Caller caller, String id) {
        if (!id.matches(WORKSPACE_ID) && !id.equals(caller.workspace().value())) {
            throw ProblemException.notFound("Workspace", id);
        }
        WorkspaceId ws = WorkspaceId.of(id);
        if (caller.viaApiKey() && !ws.equals(caller.workspace())) {
            throw ProblemException.notFound("Workspace", id);
        }
        return identities
                .findMembership(ws, caller.user())
                .orElseThrow(() -> ProblemException.notFound("Workspace", id));
    }

    /** Like {@link #visible}, and the caller's token must be for that workspace, since its scopes are. */
    private Membership current(Caller caller, String id) {
        Membership m = visible(caller, id);
        if (!m.workspace().equals(caller.workspace())) {
            throw ProblemException.forbidden("This token is for workspace " + caller.workspace() + "; get one for " + id
                    + " with POST /api/v1/auth/switch");
        }
        return m;
    }

    private Membership member(WorkspaceId workspace, String userId) {
        if (userId.isBlank() || userId.length() > 64) {
            throw ProblemException.notFound("Member", userId);
        }
        return identities
                .findMembership(workspace, UserId.of(userId))
                .orElseThrow(() -> ProblemException.notFound("Member", userId));
    }

    /** Only an owner makes, unmakes or changes owners. */
    private static void requireOwnerPower(Caller caller, String role) {
        if (Role.OWNER.id().equals(role) && !caller.scopes().contains(Scopes.WORKSPACE_ADMIN)) {
            throw ProblemException.forbidden("Only an owner can grant, change or remove the owner role");
        }
    }

    private static void apply(Change change, String userId) {
        switch (change) {
            case DONE -> {}
            case NOT_A_MEMBER -> throw ProblemException.notFound("Member", userId);
            case LAST_OWNER ->
                throw ProblemException.conflict(
                        "User " + userId + " is the workspace's last owner; make another owner first");
        }
    }
}
