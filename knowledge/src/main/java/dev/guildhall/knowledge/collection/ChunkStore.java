package dev.guildhall.knowledge.collection;

import java.util.Map;
import java.util.Optional;

/**
 * The durable source of truth of one collection: every document with its chunks and vectors. The
 * Lucene index is derived from it and can be rebuilt from it at any time. A write is durable when
 * the method returns, and a crash leaves each document either at its old or at its new revision.
 * Callers serialize writes; reads may run alongside them.
 */
public interface ChunkStore {

    /** The current revision of every stored document. */
    Map<DocumentId, Long> revisions();

    Optional<StoredDocument> find(DocumentId id);

    /** Stores (or replaces) a document; on return it survives a crash. */
    void put(StoredDocument document);

    /** Removes a document; returns whether it was there. On return the removal survives a crash. */
    boolean delete(DocumentId id);
}
