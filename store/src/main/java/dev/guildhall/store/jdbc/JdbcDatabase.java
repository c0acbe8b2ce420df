package dev.guildhall.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.guildhall.core.Checks;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A pooled connection to the store's database, migrated to the latest schema when it opens. Open one
 * per process and share it; the JDBC ports take its {@link #dataSource()}. Thread-safe.
 */
public final class JdbcDatabase implements AutoCloseable {
    /** Where the migrations live; the same scripts serve H2 and PostgreSQL. */
    public static final String MIGRATIONS = "classpath:db/migration";

    private final JdbcSettings settings;
    private final HikariDataSource dataSource;

    private JdbcDatabase(JdbcSettings settings, HikariDataSource dataSource) {
        this.settings = settings;
        this.dataSource = dataSource;
    }

    /**
     * Connects to the database {@code settings} names and runs any migration it has not seen yet.
     *
     * @throws org.flywaydb.core.api.FlywayException when a migration fails or the database is unreachable
     */
    public static JdbcDatabase open(JdbcSettings settings) {
        Checks.notNull(settings, "settings");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setPoolName("guildhall-store");
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations(MIGRATIONS)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new JdbcDatabase(settings, dataSource);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public JdbcSettings settings() {
        return settings;
    }

    /** Closes the pool; the embedded database closes with its last connection. */
    @Override
    public void close() {
        dataSource.close();
    }

    @Override
    public String toString() {
        return "JdbcDatabase[" + settings + "]";
    }
}
