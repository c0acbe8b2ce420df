package dev.guildhall.store.jdbc;

import dev.guildhall.core.RetryableException;
import java.sql.SQLException;

/**
 * A database call failed. Retryable: most causes (a lost connection, a failover, a full pool) pass;
 * the message names the operation and the SQL state.
 */
public final class StoreException extends RetryableException {
    private static final long serialVersionUID = 1L;

    private final String operation;

    public StoreException(String operation, SQLException cause) {
        super("Store operation '%s' failed (SQLState %s): %s".formatted(operation, cause.getSQLState(), cause.getMessage()), cause);
        this.operation = operation;
    }

    public String operation() {
        return operation;
    }
}
