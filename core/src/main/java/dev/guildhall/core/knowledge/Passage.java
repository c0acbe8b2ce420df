package dev.guildhall.core.knowledge;

import dev.guildhall.core.Checks;
import dev.guildhall.core.agent.Citation;
import java.util.Map;

/** One search hit: a chunk of a document with its score and where it came from. */
public record Passage(String documentId, String title, String text, double score, Map<String, String> metadata) {
    public Passage {
        Checks.notBlank(documentId, "documentId");
        title = title == null ? "" : title;
        Checks.notNull(text, "text");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public Citation toCitation() {
        return new Citation(documentId, title, text, score);
    }
}
