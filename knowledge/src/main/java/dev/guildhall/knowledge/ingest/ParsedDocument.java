package dev.guildhall.knowledge.ingest;

import dev.guildhall.core.Checks;
import java.util.List;

/** A document's title and its text in sections, in reading order. */
public record ParsedDocument(String title, List<Section> sections) {
    public ParsedDocument {
        Checks.notNull(title, "title");
        sections = List.copyOf(sections);
    }
}
