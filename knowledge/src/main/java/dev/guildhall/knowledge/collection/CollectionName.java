package dev.guildhall.knowledge.collection;

import java.util.regex.Pattern;

/** The name of a collection within a workspace: lower-case letters, digits, '-' and '_', at most 64. */
public record CollectionName(String value) {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    public CollectionName {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "collection name must be 1-64 lower-case letters, digits, '-' or '_', was \"" + value + "\"");
        }
    }

    public static CollectionName of(String value) {
        return new CollectionName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
