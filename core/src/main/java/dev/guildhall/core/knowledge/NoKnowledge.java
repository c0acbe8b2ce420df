package dev.guildhall.core.knowledge;

import java.util.List;
import java.util.Map;

final class NoKnowledge implements KnowledgeSearch {
    static final NoKnowledge INSTANCE = new NoKnowledge();

    private NoKnowledge() {}

    @Override
    public boolean available() {
        return false;
    }

    @Override
    public List<Passage> search(String collection, String query, int k, Map<String, String> filters) {
        return List.of();
    }
}
