package dev.guildhall.store.jdbc;

import dev.guildhall.core.NonRetryableException;
import java.sql.SQLException;

/**
 * The database refused the operation (a constraint, a missing table, a value out of range) and will
 * refuse it again. Do not retry; check the migrations and the data written.
 */
public final class StoreFailedException extends NonRetryableException {
    private static final long serialVersionUID = 1L;

    private final String operation;

    StoreFailedException(String operation, SQLException cause) {
        super(StoreErrors.message(operation, cause), cause);
        this.operation = operation;
    }

    /** What the store was doing, e.g. {@code record cost entry}. */
    public String operation() {
        return operation;
    }
}
