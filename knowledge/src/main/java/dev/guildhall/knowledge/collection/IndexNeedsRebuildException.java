package dev.guildhall.knowledge.collection;

import dev.guildhall.core.NonRetryableException;

/**
 * A collection's Lucene index cannot be used as it is: it is damaged, or its vectors come from
 * another embedding model. Nothing is lost (the chunk store is the source of truth); rebuild the
 * index with {@code guildhall knowledge rebuild} or {@link KnowledgeBase#rebuild}.
 */
public final class IndexNeedsRebuildException extends NonRetryableException {
    private final String collection;
    private final String reason;

    public IndexNeedsRebuildException(String collection, String reason, Throwable cause) {
        super(
                "the index of collection %s %s; rebuild it from the stored chunks with `guildhall knowledge rebuild %s`"
                        .formatted(collection, reason, collection.substring(collection.indexOf('/') + 1)),
                cause);
        this.collection = collection;
        this.reason = reason;
    }

    public String collection() {
        return collection;
    }

    public String reason() {
        return reason;
    }
}
