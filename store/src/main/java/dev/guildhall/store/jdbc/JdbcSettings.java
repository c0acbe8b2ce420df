package dev.guildhall.store.jdbc;

import dev.guildhall.core.Checks;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where the store's database is: one JDBC URL, with a user and password when the server needs them.
 * {@code jdbc:postgresql://...} in production; {@link #embedded(Path)} for the default H2 file.
 *
 * @param user null when the URL (or the server's trust rules) needs none
 * @param password null when there is none
 */
public record JdbcSettings(String url, @Nullable String user, @Nullable String password) {
    /** The name of the embedded database's files under the data directory. */
    public static final String EMBEDDED_NAME = "guildhall";

    public JdbcSettings {
        Checks.notBlank(url, "url");
        Checks.check(
                url.startsWith("jdbc:h2:") || url.startsWith("jdbc:postgresql:"),
                "url must start with jdbc:h2: or jdbc:postgresql:, was " + url);
        if (url.startsWith("jdbc:h2:")
                && !url.toUpperCase(java.util.Locale.ROOT).contains("MODE=POSTGRESQL")) {
            url = url + ";MODE=PostgreSQL"; // The store's SQL (ON CONFLICT, say) is PostgreSQL's dialect.
        }
    }

    /** The embedded H2 database in file mode under {@code dataDir}, speaking PostgreSQL's dialect. */
    public static JdbcSettings embedded(Path dataDir) {
        Checks.notNull(dataDir, "dataDir");
        String file = dataDir.toAbsolutePath().resolve(EMBEDDED_NAME).toString().replace('\\', '/');
        return new JdbcSettings(
                "jdbc:h2:file:" + file
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;QUERY_CACHE_SIZE=64",
                "sa",
                "");
    }

    @Override
    public String toString() {
        // The password stays out of logs and exception messages.
        return "JdbcSettings[url=" + url + ", user=" + user + "]";
    }
}
