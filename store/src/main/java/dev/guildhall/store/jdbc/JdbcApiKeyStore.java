package dev.guildhall.store.jdbc;

import dev.guildhall.core.Checks;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * API keys in {@code api_keys}: the visible prefix and a hash of the whole key, never the key.
 * Every read and write but the lookup by prefix (which is how a request's key is found, before its
 * workspace is known) names the workspace. Thread-safe.
 */
public final class JdbcApiKeyStore {
    private static final String COLUMNS =
            "id, workspace, user_id, name, prefix, secret_hash, scopes, created_epoch_nanos, expires_epoch_nanos,"
                    + " revoked_epoch_nanos";
    private final DataSource dataSource;

    /**
     * A stored key.
     *
     * @param secretHash a hash of the whole key as the client sends it (hex SHA-256)
     * @param expiresAt null for a key that does not expire
     * @param revokedAt null while the key is valid
     */
    public record ApiKey(
            String id,
            WorkspaceId workspace,
            UserId user,
            String name,
            String prefix,
            String secretHash,
            Set<String> scopes,
            Instant createdAt,
            @Nullable Instant expiresAt,
            @Nullable Instant revokedAt) {
        public ApiKey {
            Checks.notBlank(id, "id");
            Checks.notNull(workspace, "workspace");
            Checks.notNull(user, "user");
            Checks.notBlank(name, "name");
            Checks.notBlank(prefix, "prefix");
            Checks.notBlank(secretHash, "secretHash");
            scopes = Set.copyOf(scopes);
            Checks.notNull(createdAt, "createdAt");
        }

        /** Not revoked and not expired at {@code now}. */
        public boolean usableAt(Instant now) {
            return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
        }

        @Override
        public String toString() {
            return "ApiKey[id=" + id + ", workspace=" + workspace + ", prefix=" + prefix + "]";
        }
    }

    public JdbcApiKeyStore(DataSource dataSource) {
        this.dataSource = Checks.notNull(dataSource, "dataSource");
    }

    public ApiKey create(ApiKey key) {
        Checks.notNull(key, "key");
        Sql.autoCommit(dataSource, "create api key " + key.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO api_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, key.id());
                ps.setString(2, key.workspace().value());
                ps.setString(3, key.user().value());
                ps.setString(4, key.name());
                ps.setString(5, key.prefix());
                ps.setString(6, key.secretHash());
                ps.setString(7, String.join(" ", new TreeSet<>(key.scopes())));
                ps.setLong(8, Sql.nanos(key.createdAt()));
                Sql.setNullable(ps, 9, key.expiresAt() == null ? null : Sql.nanos(key.expiresAt()));
                Sql.setNullable(ps, 10, key.revokedAt() == null ? null : Sql.nanos(key.revokedAt()));
                return ps.executeUpdate();
            }
        });
        return key;
    }

    /** The key with this prefix, in whatever workspace: how an incoming key is looked up. */
    public Optional<ApiKey> findByPrefix(String prefix) {
        Checks.notNull(prefix, "prefix");
        return one("find api key by prefix", "SELECT " + COLUMNS + " FROM api_keys WHERE prefix = ?", prefix);
    }

    public Optional<ApiKey> find(WorkspaceId workspace, String id) {
        Checks.notNull(workspace, "workspace");
        Checks.notNull(id, "id");
        return one(
                "find api key " + id,
                "SELECT " + COLUMNS + " FROM api_keys WHERE id = ? AND workspace = ?",
                id,
                workspace.value());
    }

    /** The workspace's keys, newest first. */
    public List<ApiKey> list(WorkspaceId workspace) {
        Checks.notNull(workspace, "workspace");
        return Sql.autoCommit(dataSource, "list api keys of " + workspace, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM api_keys WHERE workspace = ? ORDER BY created_epoch_nanos DESC, id")) {
                ps.setString(1, workspace.value());
                try (ResultSet rs = ps.executeQuery()) {
                    List<ApiKey> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                    return out;
                }
            }
        });
    }

    /**
     * Revokes a key of the workspace; revoking it again keeps the first time.
     *
     * @return false when the workspace has no such key
     */
    public boolean revoke(WorkspaceId workspace, String id, Instant at) {
        Checks.notNull(workspace, "workspace");
        Checks.notNull(id, "id");
        int found = Sql.autoCommit(dataSource, "revoke api key " + id, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE api_keys SET revoked_epoch_nanos = COALESCE(revoked_epoch_nanos, ?)"
                            + " WHERE id = ? AND workspace = ?")) {
                ps.setLong(1, Sql.nanos(at));
                ps.setString(2, id);
                ps.setString(3, workspace.value());
                return ps.executeUpdate();
            }
        });
        return found > 0;
    }

    private Optional<ApiKey> one(String operation, String sql, String... args) {
        return Sql.autoCommit(dataSource, operation, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setString(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.<ApiKey>empty();
                }
            }
        });
    }

    private static ApiKey read(ResultSet rs) throws SQLException {
        String scopes = rs.getString(7);
        long expires = rs.getLong(9);
        boolean noExpiry = rs.wasNull();
        long revoked = rs.getLong(10);
        boolean notRevoked = rs.wasNull();
        return new ApiKey(
                rs.getString(1),
                WorkspaceId.of(rs.getString(2)),
                UserId.of(rs.getString(3)),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                scopes.isBlank() ? Set.of() : Set.of(scopes.split(" ")),
                Sql.instant(rs.getLong(8)),
                noExpiry ? null : Sql.instant(expires),
                notRevoked ? null : Sql.instant(revoked));
    }
}
