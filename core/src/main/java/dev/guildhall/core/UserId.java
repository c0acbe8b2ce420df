package dev.guildhall.core;

/** The typed id of a user; never a raw string in signatures. */
public record UserId(String value) {
    public UserId {
        Checks.notBlank(value, "userId");
    }

    public static UserId of(String value) {
        return new UserId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
