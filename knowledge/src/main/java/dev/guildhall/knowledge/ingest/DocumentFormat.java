package dev.guildhall.knowledge.ingest;

import java.util.Locale;
import java.util.Optional;

/** The file formats a collection ingests. */
public enum DocumentFormat {
    TEXT,
    MARKDOWN,
    HTML,
    PDF;

    /** The format a file name's extension implies, if it is one we read. */
    public static Optional<DocumentFormat> fromFileName(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        return switch (ext) {
            case "txt", "text" -> Optional.of(TEXT);
            case "md", "markdown" -> Optional.of(MARKDOWN);
            case "html", "htm", "xhtml" -> Optional.of(HTML);
            case "pdf" -> Optional.of(PDF);
            default -> Optional.empty();
        };
    }

    /** The lower-case name stored in chunk metadata and accepted by filters. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
