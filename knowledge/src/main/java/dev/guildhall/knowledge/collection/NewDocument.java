package dev.guildhall.knowledge.collection;

import dev.guildhall.core.Checks;
import dev.guildhall.knowledge.ingest.DocumentFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A document to add (or replace, when its id is already stored).
 *
 * @param source where it came from, shown in citations (a path or URL)
 * @param title the title to use instead of the one found in the content; null to find it
 * @param metadata exact-match fields for filters, such as {@code product=cards}
 */
public record NewDocument(
        DocumentId id,
        String source,
        DocumentFormat format,
        byte[] content,
        @Nullable String title,
        Map<String, String> metadata) {
    public NewDocument {
        Checks.notNull(id, "id");
        Checks.notBlank(source, "source");
        Checks.notNull(format, "format");
        Checks.notNull(content, "content");
        metadata = Map.copyOf(metadata);
        for (String key : metadata.keySet()) {
            if (!key.matches("[A-Za-z0-9_.-]{1,64}") || key.equals("source") || key.equals("format")) {
                throw new IllegalArgumentException(
                        "metadata key must be 1-64 letters, digits, '_', '.' or '-' and not source or format, was \""
                                + key + "\"");
            }
        }
    }

    /** A text document given in memory. */
    public static NewDocument ofText(DocumentId id, DocumentFormat format, String text, Map<String, String> metadata) {
        return new NewDocument(id, id.value(), format, text.getBytes(StandardCharsets.UTF_8), null, metadata);
    }

    /** A file, its format taken from its extension and its id from its name unless one is given. */
    public static NewDocument fromFile(Path file, @Nullable DocumentId id, Map<String, String> metadata) {
        String fileName = file.getFileName().toString();
        DocumentFormat format = DocumentFormat.fromFileName(fileName)
                .orElseThrow(() -> new IllegalArgumentException(
                        "cannot tell the format of " + file + ": use .txt, .md, .html or .pdf"));
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("file not found: " + file);
        }
        try {
            return new NewDocument(
                    id == null ? DocumentId.of(fileName) : id,
                    file.toString(),
                    format,
                    Files.readAllBytes(file),
                    null,
                    metadata);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The title the parser falls back to: the file name without its extension. */
    String fallbackTitle() {
        String name = Path.of(source).getFileName() == null
                ? id.value()
                : Path.of(source).getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
