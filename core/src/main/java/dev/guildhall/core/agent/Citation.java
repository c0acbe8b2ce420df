package dev.guildhall.core.agent;

import dev.guildhall.core.Checks;

/**
 * Evidence behind an answer: which document, which passage, how well it matched.
 *
 * @param source a stable id of the document (or record) cited
 * @param quote the exact passage relied on, so a reader (or a verifier) can check it
 */
public record Citation(String source, String title, String quote, double score) {
    public Citation {
        Checks.notBlank(source, "source");
        title = title == null ? "" : title;
        quote = quote == null ? "" : quote;
    }
}
