package dev.guildhall.knowledge.collection;

import dev.guildhall.core.Checks;

/** The id of a document in a collection, chosen by whoever adds it (by default its file name). */
public record DocumentId(String value) {
    static final int MAX_LENGTH = 120;

    public DocumentId {
        Checks.notBlank(value, "documentId");
        if (value.length() > MAX_LENGTH || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("documentId must be at most " + MAX_LENGTH
                    + " characters without control characters, was \"" + value + "\"");
        }
    }

    public static DocumentId of(String value) {
        return new DocumentId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
