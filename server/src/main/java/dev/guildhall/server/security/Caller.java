package dev.guildhall.server.security;

import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.workspace.WorkspaceCaller;
import java.util.Set;

/**
 * Who made a request: a user acting in one workspace with a set of scopes, through a token or an
 * API key. Controllers take it as {@code @AuthenticationPrincipal Caller}.
 *
 * @param via {@code token}, or {@code key:<id>} for an API key
 */
public record Caller(UserId user, WorkspaceId workspace, Set<String> scopes, String via) implements WorkspaceCaller {
    public Caller {
        scopes = Set.copyOf(scopes);
    }

    @Override
    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    public boolean viaApiKey() {
        return via.startsWith("key:");
    }
}
