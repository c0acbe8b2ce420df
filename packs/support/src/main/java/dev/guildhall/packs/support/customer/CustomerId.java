package dev.guildhall.packs.support.customer;

import dev.guildhall.core.Checks;

/** A customer's id within a workspace, as the workspace's own systems know it. */
public record CustomerId(String value) {
    public CustomerId {
        Checks.notBlank(value, "customerId");
        Checks.check(value.length() <= 200, "customerId must be at most 200 characters, was " + value.length());
    }

    public static CustomerId of(String value) {
        return new CustomerId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
