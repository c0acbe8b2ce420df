package dev.guildhall.knowledge.collection;

import dev.guildhall.core.NonRetryableException;
import dev.guildhall.core.WorkspaceId;

/** A collection with this name already exists in the workspace; add documents to it instead. */
public final class CollectionAlreadyExistsException extends NonRetryableException {
    private final WorkspaceId workspace;
    private final CollectionName name;

    public CollectionAlreadyExistsException(WorkspaceId workspace, CollectionName name) {
        super("collection %s already exists in workspace %s".formatted(name, workspace));
        this.workspace = workspace;
        this.name = name;
    }

    public WorkspaceId workspace() {
        return workspace;
    }

    public CollectionName name() {
        return name;
    }
}
