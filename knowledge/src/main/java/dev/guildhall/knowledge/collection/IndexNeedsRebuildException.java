package dev.guildhall.knowledge.collection;

import dev.guildhall.core.NonRetryableException;
import dev.guildhall.core.WorkspaceId;
import org.jspecify.annotations.Nullable;

/**
 * A collection's Lucene index cannot be used as it is: it is damaged, or its vectors come from
 * another embedding model. Nothing is lost (the chunk store is the source of truth); rebuild the
 * index with {@code guildhall knowledge rebuild} or {@link KnowledgeBase#rebuild}.
 */
public final class IndexNeedsRebuildException extends NonRetryableException {
    private final WorkspaceId workspace;
    private final CollectionName collection;
    private final String reason;

    public IndexNeedsRebuildException(
            WorkspaceId workspace, CollectionName collection, String reason, @Nullable Throwable cause) {
        super(
                "the index of collection %s/%s %s; rebuild it from the stored chunks with `guildhall knowledge rebuild %s%s`"
                        .formatted(
                                workspace,
                                collection,
                                reason,
                                collection,
                                workspace.value().equals("default") ? "" : " --workspace " + workspace),
                cause);
        this.workspace = workspace;
        this.collection = collection;
        this.reason = reason;
    }

    public WorkspaceId workspace() {
        return workspace;
    }

    public CollectionName collection() {
        return collection;
    }

    public String reason() {
        return reason;
    }
}
