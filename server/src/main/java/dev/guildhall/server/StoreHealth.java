package dev.guildhall.server;

import dev.guildhall.store.jdbc.JdbcDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The store's database as a health contributor ({@code store}), part of readiness: a node that
 * cannot reach its database should get no traffic.
 */
@Component("store")
class StoreHealth implements HealthIndicator {
    private final JdbcDatabase database;

    StoreHealth(JdbcDatabase database) {
        this.database = database;
    }

    @Override
    public Health health() {
        try (Connection c = database.dataSource().getConnection()) {
            boolean valid = c.isValid(2);
            return (valid ? Health.up() : Health.down())
                    .withDetail("database", c.getMetaData().getDatabaseProductName())
                    .build();
        } catch (SQLException e) {
            return Health.down()
                    .withDetail("error", e.getClass().getSimpleName())
                    .build();
        }
    }
}
