package dev.guildhall.knowledge.ingest;

import dev.guildhall.core.Checks;
import java.util.List;

/** One chunk the {@link Chunker} produced: its text and where in the document it sits. */
public record ChunkText(List<String> headingPath, int page, String text) {
    public ChunkText {
        headingPath = List.copyOf(headingPath);
        Checks.notNegative(page, "page");
        Checks.notBlank(text, "text");
    }
}
