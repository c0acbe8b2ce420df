package dev.guildhall.store.jdbc;

import dev.guildhall.core.GuildhallException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** The one place that turns a {@link SQLException} into a retryable or non-retryable store exception. */
final class StoreErrors {
    private StoreErrors() {}

    /**
     * Retryable when the cause is transient: SQLState class 08 (connection), 40 (transaction
     * rollback: deadlock, serialization failure), 57P0x (server shutting down), or a JDBC transient or
     * recoverable exception. Everything else fails the same way again.
     */
    static GuildhallException map(String operation, SQLException e) {
        return retryable(e) ? new StoreUnavailableException(operation, e) : new StoreFailedException(operation, e);
    }

    static boolean retryable(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
            return true;
        }
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("57P0"));
    }

    static String message(String operation, SQLException e) {
        return "Store operation '%s' failed (SQLState %s): %s".formatted(operation, e.getSQLState(), e.getMessage());
    }
}
