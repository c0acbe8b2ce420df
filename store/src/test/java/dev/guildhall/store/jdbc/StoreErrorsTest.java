package dev.guildhall.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.NonRetryableException;
import dev.guildhall.core.RetryableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class StoreErrorsTest {

    @Test
    void connection_and_rollback_states_are_retryable() {
        assertThat(StoreErrors.map("record cost entry", new SQLException("gone", "08006")))
                .isInstanceOf(RetryableException.class)
                .hasMessage("Store operation 'record cost entry' failed (SQLState 08006): gone");
        assertThat(StoreErrors.map("save budget", new SQLException("deadlock", "40P01")))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(StoreErrors.map("save budget", new SQLTransientConnectionException("pool timeout")))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void constraint_and_schema_errors_are_not_retryable() {
        assertThat(StoreErrors.map("save budget", new SQLException("duplicate key", "23505")))
                .isInstanceOf(NonRetryableException.class)
                .isInstanceOf(StoreFailedException.class);
        assertThat(StoreErrors.map("add up spend", new SQLException("no such table", "42P01")))
                .isInstanceOf(StoreFailedException.class);
        assertThat(StoreErrors.map("add up spend", new SQLException("no state")))
                .isInstanceOf(StoreFailedException.class);
    }
}
