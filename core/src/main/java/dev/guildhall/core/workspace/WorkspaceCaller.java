package dev.guildhall.core.workspace;

import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;

/**
 * Who is calling, as far as code outside the server needs to know: the workspace every read and
 * write is confined to, the user, and the scopes granted. The server's authenticated principal
 * implements it, so a pack's controllers take {@code @AuthenticationPrincipal WorkspaceCaller}
 * without depending on the server's security classes.
 */
public interface WorkspaceCaller {
    WorkspaceId workspace();

    UserId user();

    boolean hasScope(String scope);
}
