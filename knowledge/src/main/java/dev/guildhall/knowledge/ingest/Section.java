package dev.guildhall.knowledge.ingest;

import dev.guildhall.core.Checks;
import java.util.List;

/**
 * A run of text under one heading path, for example {@code ["Cards", "Lost or stolen cards"]}.
 *
 * @param page the 1-based PDF page the text is on, or 0 when the format has no pages
 */
public record Section(List<String> headingPath, String text, int page) {
    public Section {
        headingPath = List.copyOf(headingPath);
        Checks.notNull(text, "text");
        Checks.notNegative(page, "page");
    }
}
