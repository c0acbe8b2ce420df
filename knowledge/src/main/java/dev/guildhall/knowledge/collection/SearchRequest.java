package dev.guildhall.knowledge.collection;

import dev.guildhall.core.Checks;
import java.util.Map;

/**
 * One search: the query text, how many hits, the mode and metadata filters (every hit carries
 * every {@code key=value} given).
 */
public record SearchRequest(String query, int k, SearchMode mode, Map<String, String> filters) {
    public static final int MAX_K = 1000;

    public SearchRequest {
        Checks.notBlank(query, "query");
        Checks.positive(k, "k");
        if (k > MAX_K) {
            throw new IllegalArgumentException("k must be <= " + MAX_K + ", was " + k);
        }
        Checks.notNull(mode, "mode");
        filters = filters == null ? Map.of() : Map.copyOf(filters);
    }

    public static SearchRequest of(String query, int k, SearchMode mode) {
        return new SearchRequest(query, k, mode, Map.of());
    }

    public SearchRequest withFilters(Map<String, String> newFilters) {
        return new SearchRequest(query, k, mode, newFilters);
    }
}
