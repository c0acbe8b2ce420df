package dev.guildhall.knowledge.collection;

import dev.guildhall.core.knowledge.Passage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One result: the chunk, its score in the mode searched (the BM25 score, Lucene's vector score
 * (1 + cosine) / 2, or the fused RRF score), its 1-based rank in the BM25 and vector lists (0 when
 * absent), and the cosine similarity of the chunk to the query (NaN in BM25 mode, which embeds
 * nothing).
 *
 * <p>The RRF score only ranks: the first hit of any query, relevant or not, scores about 2/61. The
 * cosine similarity is what says how close a chunk is in absolute terms, so that is the score a
 * {@link Passage} carries when there is one (agents compare it with a {@code minScore}).
 */
public record SearchHit(Chunk chunk, double score, int bm25Rank, int vectorRank, double similarity) {

    /**
     * The hit as core's {@link Passage}: its score is the cosine similarity (clamped to [0, 1]) when
     * known, else the mode's score; its metadata adds collection, chunk, location, page and ranks.
     */
    public Passage toPassage(CollectionName collection) {
        Map<String, String> meta = new LinkedHashMap<>(chunk.metadata());
        meta.put("mode_score", Double.toString(score));
        if (bm25Rank > 0) {
            meta.put("bm25_rank", Integer.toString(bm25Rank));
        }
        if (vectorRank > 0) {
            meta.put("vector_rank", Integer.toString(vectorRank));
        }
        meta.put("collection", collection.value());
        meta.put("chunk", Integer.toString(chunk.index()));
        meta.put("location", chunk.location());
        if (!chunk.headingPath().isEmpty()) {
            meta.put("heading", String.join(" > ", chunk.headingPath()));
        }
        if (chunk.page() > 0) {
            meta.put("page", Integer.toString(chunk.page()));
        }
        double passageScore = Double.isNaN(similarity) ? score : Math.max(0.0, Math.min(1.0, similarity));
        return new Passage(chunk.documentId().value(), chunk.title(), chunk.text(), passageScore, meta);
    }
}
