package dev.guildhall.knowledge.collection;

import dev.guildhall.core.Checks;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.knowledge.KnowledgeSearch;
import dev.guildhall.core.knowledge.Passage;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Core's {@link KnowledgeSearch} over one workspace's collections. The workspace is fixed when the
 * instance is made, so whoever holds it cannot reach another workspace's documents. A collection
 * the workspace does not have (or an invalid name) finds nothing, as {@link KnowledgeSearch#none()}
 * does.
 */
public final class WorkspaceKnowledgeSearch implements KnowledgeSearch {
    private final KnowledgeBase knowledge;
    private final WorkspaceId workspace;
    private final SearchMode mode;

    public WorkspaceKnowledgeSearch(KnowledgeBase knowledge, WorkspaceId workspace, SearchMode mode) {
        this.knowledge = Checks.notNull(knowledge, "knowledge");
        this.workspace = Checks.notNull(workspace, "workspace");
        this.mode = Checks.notNull(mode, "mode");
    }

    public WorkspaceId workspace() {
        return workspace;
    }

    @Override
    public boolean available() {
        return !knowledge.list(workspace).isEmpty();
    }

    @Override
    public List<Passage> search(String collection, String query, int k, Map<String, String> filters) {
        Optional<KnowledgeCollection> c;
        try {
            c = knowledge.find(workspace, CollectionName.of(collection));
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        if (c.isEmpty()) {
            return List.of();
        }
        CollectionName name = c.get().name();
        return c.get().search(new SearchRequest(query, k, mode, filters)).stream()
                .map(h -> h.toPassage(name))
                .toList();
    }
}
