package dev.guildhall.server.security;

import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import java.util.Set;

/**
 * Who made a request: a user acting in one workspace with a set of scopes, through a token or an
 * API key. Controllers take it as {@code @AuthenticationPrincipal Caller}.
 *
 * @param via {@code token}, or {@code key:<id>} for an API key
 */
public record Caller(UserId user, WorkspaceId workspace, Set<String> scopes, String via) {
    public Caller {
        scopes = Set.copyOf(scopes);
    }

    public boolean viaApiKey() {
        return via.startsWith("key:");
    }
}
