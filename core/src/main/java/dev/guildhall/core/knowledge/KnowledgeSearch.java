package dev.guildhall.core.knowledge;

import java.util.List;
import java.util.Map;

/**
 * Search over one workspace's knowledge collections. The instance an agent receives is already
 * bound to the run's workspace, so an agent cannot search another tenant's documents.
 * Implementations are thread-safe.
 */
public interface KnowledgeSearch {

    /** Whether any collection is available to search. */
    boolean available();

    /**
     * The best {@code k} passages for {@code query} in {@code collection}, best first.
     *
     * @param filters metadata that every hit must carry with these values; empty for none
     */
    List<Passage> search(String collection, String query, int k, Map<String, String> filters);

    /** No knowledge configured: every search finds nothing. */
    static KnowledgeSearch none() {
        return NoKnowledge.INSTANCE;
    }
}
