package dev.guildhall.knowledge.collection;

import dev.guildhall.core.Checks;
import java.util.List;
import java.util.Map;

/**
 * One chunk of a stored document, with everything a citation needs.
 *
 * @param index the chunk's 0-based position in its document
 * @param headingPath the headings the chunk sits under, outermost first
 * @param page the 1-based PDF page, or 0 for formats without pages
 * @param metadata the document's metadata plus {@code source} and {@code format}; what filters match
 */
public record Chunk(
        DocumentId documentId,
        int index,
        String title,
        String source,
        List<String> headingPath,
        int page,
        String text,
        Map<String, String> metadata) {
    public Chunk {
        Checks.notNull(documentId, "documentId");
        Checks.notNegative(index, "index");
        Checks.notNull(title, "title");
        Checks.notNull(source, "source");
        headingPath = List.copyOf(headingPath);
        Checks.notNegative(page, "page");
        Checks.notNull(text, "text");
        metadata = Map.copyOf(metadata);
    }

    /** The text that is embedded and indexed for BM25: title and headings give a short chunk its context. */
    public String contextualText() {
        StringBuilder sb = new StringBuilder(title);
        for (String h : headingPath) {
            if (!h.equals(title)) {
                sb.append(sb.length() == 0 ? "" : " > ").append(h);
            }
        }
        return sb.length() == 0 ? text : sb + "\n" + text;
    }

    /** Where the chunk is, for a reader: {@code "Cards > Lost cards, page 2, chunk 3"}. */
    public String location() {
        StringBuilder sb = new StringBuilder(String.join(" > ", headingPath));
        if (page > 0) {
            sb.append(sb.length() == 0 ? "" : ", ").append("page ").append(page);
        }
        sb.append(sb.length() == 0 ? "" : ", ").append("chunk ").append(index);
        return sb.toString();
    }
}
