package dev.guildhall.store.jdbc;

import dev.guildhall.core.Checks;
import dev.guildhall.core.UserId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Links between identities at external OpenID Connect providers (issuer and subject) and local
 * users ({@code external_identities}). Thread-safe.
 */
public final class JdbcExternalIdentityStore {
    private static final String UNIQUE_VIOLATION = "23505";
    private final DataSource dataSource;

    public JdbcExternalIdentityStore(DataSource dataSource) {
        this.dataSource = Checks.notNull(dataSource, "dataSource");
    }

    /** The local user the provider's subject is linked to. */
    public Optional<UserId> findUser(String issuer, String subject) {
        Checks.notNull(issuer, "issuer");
        Checks.notNull(subject, "subject");
        return Sql.autoCommit(dataSource, "find external identity", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT user_id FROM external_identities WHERE issuer = ? AND subject = ?")) {
                ps.setString(1, issuer);
                ps.setString(2, subject);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(UserId.of(rs.getString(1))) : Optional.<UserId>empty();
                }
            }
        });
    }

    /**
     * Links the provider's subject to {@code user}; when another sign-in linked it first, that link
     * stays and its user is returned.
     */
    public UserId link(String issuer, String subject, UserId user, @Nullable String email, Instant at) {
        Checks.notNull(user, "user");
        try {
            Sql.autoCommit(dataSource, "link external identity", c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO external_identities (issuer, subject, user_id, email, created_epoch_nanos)"
                                + " VALUES (?, ?, ?, ?, ?)")) {
                    ps.setString(1, issuer);
                    ps.setString(2, subject);
                    ps.setString(3, user.value());
                    Sql.setNullable(ps, 4, email);
                    ps.setLong(5, Sql.nanos(at));
                    return ps.executeUpdate();
                }
            });
            return user;
        } catch (StoreFailedException e) {
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return findUser(issuer, subject).orElseThrow(() -> e);
            }
            throw e;
        }
    }
}
