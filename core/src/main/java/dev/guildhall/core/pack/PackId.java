package dev.guildhall.core.pack;

import dev.guildhall.core.Checks;

/** The typed id of a pack, such as {@code support}; never a raw string in signatures. */
public record PackId(String value) {
    public PackId {
        Checks.notBlank(value, "packId");
    }

    public static PackId of(String value) {
        return new PackId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
