package dev.guildhall.knowledge.ingest;

import dev.guildhall.core.NonRetryableException;

/** A file that cannot be read as the format it claims to be; fix or drop the file. */
public final class DocumentParseException extends NonRetryableException {
    private final String source;
    private final DocumentFormat format;

    public DocumentParseException(String source, DocumentFormat format, String reason, Throwable cause) {
        super("cannot read %s as %s: %s".formatted(source, format.label(), reason), cause);
        this.source = source;
        this.format = format;
    }

    public String source() {
        return source;
    }

    public DocumentFormat format() {
        return format;
    }
}
