package dev.guildhall.knowledge.collection;

import dev.guildhall.core.knowledge.Passage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One result: the chunk, its score in the mode searched (BM25 score, vector similarity in [0, 1],
 * or the fused RRF score), and its 1-based rank in the BM25 and vector lists (0 when absent).
 */
public record SearchHit(Chunk chunk, double score, int bm25Rank, int vectorRank) {

    /** The hit as core's {@link Passage}; its metadata adds collection, chunk, location and page. */
    public Passage toPassage(CollectionName collection) {
        Map<String, String> meta = new LinkedHashMap<>(chunk.metadata());
        meta.put("collection", collection.value());
        meta.put("chunk", Integer.toString(chunk.index()));
        meta.put("location", chunk.location());
        if (!chunk.headingPath().isEmpty()) {
            meta.put("heading", String.join(" > ", chunk.headingPath()));
        }
        if (chunk.page() > 0) {
            meta.put("page", Integer.toString(chunk.page()));
        }
        return new Passage(chunk.documentId().value(), chunk.title(), chunk.text(), score, meta);
    }
}
