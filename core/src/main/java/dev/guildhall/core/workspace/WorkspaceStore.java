package dev.guildhall.core.workspace;

import dev.guildhall.core.WorkspaceId;
import java.util.List;
import java.util.Optional;

/** Where workspaces live. Implementations are thread-safe. */
public interface WorkspaceStore {

    /**
     * Stores a new workspace.
     *
     * @throws IllegalArgumentException when a workspace with this id exists
     */
    Workspace create(Workspace workspace);

    Optional<Workspace> find(WorkspaceId id);

    /** Every workspace, by id. */
    List<Workspace> list();
}
