package dev.guildhall.knowledge.collection;

import java.util.Locale;

/** How a collection is searched. */
public enum SearchMode {
    /** Lucene BM25 over the chunk text, its title and its headings. */
    BM25,
    /** Nearest chunks by embedding (HNSW, dot product of unit vectors). */
    VECTOR,
    /** Both lists merged by reciprocal rank fusion. */
    HYBRID;

    public static SearchMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mode must be bm25, vector or hybrid, was \"" + value + "\"");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
