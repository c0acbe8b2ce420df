package dev.guildhall.server.security;

import java.util.Locale;
import java.util.Set;

/** A user's role in a workspace and the scopes it grants. */
public enum Role {
    VIEWER(Set.of(Scopes.AGENTS_READ, Scopes.WORKFLOWS_READ, Scopes.RUNS_READ, Scopes.KNOWLEDGE_READ)),
    MEMBER(Set.of(
            Scopes.AGENTS_READ,
            Scopes.WORKFLOWS_READ,
            Scopes.RUNS_READ,
            Scopes.RUNS_WRITE,
            Scopes.KNOWLEDGE_READ,
            Scopes.KNOWLEDGE_WRITE)),
    ADMIN(Set.of(
            Scopes.AGENTS_READ,
            Scopes.WORKFLOWS_READ,
            Scopes.WORKFLOWS_WRITE,
            Scopes.RUNS_READ,
            Scopes.RUNS_WRITE,
            Scopes.KEYS_ADMIN,
            Scopes.MEMBERS_ADMIN,
            Scopes.USERS_ADMIN,
            Scopes.AUDIT_READ,
            Scopes.SPEND_READ,
            Scopes.KNOWLEDGE_READ,
            Scopes.KNOWLEDGE_WRITE)),
    OWNER(Set.of(
            Scopes.AGENTS_READ,
            Scopes.WORKFLOWS_READ,
            Scopes.WORKFLOWS_WRITE,
            Scopes.RUNS_READ,
            Scopes.RUNS_WRITE,
            Scopes.KEYS_ADMIN,
            Scopes.MEMBERS_ADMIN,
            Scopes.USERS_ADMIN,
            Scopes.AUDIT_READ,
            Scopes.SPEND_READ,
            Scopes.BUDGETS_ADMIN,
            Scopes.WORKSPACE_ADMIN,
            Scopes.METRICS_READ,
            Scopes.KNOWLEDGE_READ,
            Scopes.KNOWLEDGE_WRITE));

    private final Set<String> scopes;

    Role(Set<String> scopes) {
        this.scopes = scopes;
    }

    public Set<String> scopes() {
        return scopes;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException for anything but owner, admin, member or viewer
     */
    public static Role parse(String value) {
        for (Role r : values()) {
            if (r.id().equals(value)) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be owner, admin, member or viewer, was " + value);
    }
}
