package dev.guildhall.store.jdbc;

import dev.guildhall.core.RetryableException;
import java.sql.SQLException;

/**
 * The database could not be reached or gave up on the transaction (a lost connection, a failover, a
 * deadlock, a serialization failure). Retry later; the operation changed nothing.
 */
public final class StoreUnavailableException extends RetryableException {
    private static final long serialVersionUID = 1L;

    private final String operation;

    StoreUnavailableException(String operation, SQLException cause) {
        super(StoreErrors.message(operation, cause), cause);
        this.operation = operation;
    }

    /** What the store was doing, e.g. {@code record cost entry}. */
    public String operation() {
        return operation;
    }
}
