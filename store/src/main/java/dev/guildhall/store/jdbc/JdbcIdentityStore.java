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
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Local users and their memberships in workspaces ({@code users}, {@code memberships}). Passwords
 * arrive already hashed; this class never sees one in clear. Thread-safe.
 */
public final class JdbcIdentityStore {
    private static final String UNIQUE_VIOLATION = "23505";
    private final DataSource dataSource;

    /**
     * A local user.
     *
     * @param passwordHash the encoded hash ({@code {argon2}...}), or null for a user who cannot sign in with a password
     */
    public record User(UserId id, String username, @Nullable String passwordHash, Instant createdAt) {
        public User {
            Checks.notNull(id, "id");
            Checks.notBlank(username, "username");
            Checks.notNull(createdAt, "createdAt");
        }

        @Override
        public String toString() {
            return "User[id=" + id + ", username=" + username + "]"; // The hash stays out of logs.
        }
    }

    /** A user's role in one workspace; {@code role} is owner, admin, member or viewer. */
    public record Membership(WorkspaceId workspace, UserId user, String role) {
        public Membership {
            Checks.notNull(workspace, "workspace");
            Checks.notNull(user, "user");
            Checks.notBlank(role, "role");
        }
    }

    public JdbcIdentityStore(DataSource dataSource) {
        this.dataSource = Checks.notNull(dataSource, "dataSource");
    }

    /**
     * @throws IllegalArgumentException when the username is taken
     */
    public User createUser(User user) {
        Checks.notNull(user, "user");
        try {
            Sql.autoCommit(dataSource, "create user " + user.username(), c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO users (id, username, password_hash, created_epoch_nanos) VALUES (?, ?, ?, ?)")) {
                    ps.setString(1, user.id().value());
                    ps.setString(2, user.username());
                    Sql.setNullable(ps, 3, user.passwordHash());
                    ps.setLong(4, Sql.nanos(user.createdAt()));
                    return ps.executeUpdate();
                }
            });
        } catch (StoreFailedException e) {
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                throw new IllegalArgumentException("username " + user.username() + " is taken", e);
            }
            throw e;
        }
        return user;
    }

    public Optional<User> findUserByName(String username) {
        Checks.notNull(username, "username");
        return Sql.autoCommit(dataSource, "find user " + username, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, username, password_hash, created_epoch_nanos FROM users WHERE username = ?")) {
                ps.setString(1, username);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readUser(rs)) : Optional.<User>empty();
                }
            }
        });
    }

    public Optional<User> findUserById(UserId id) {
        Checks.notNull(id, "id");
        return Sql.autoCommit(dataSource, "find user " + id.value(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, username, password_hash, created_epoch_nanos FROM users WHERE id = ?")) {
                ps.setString(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readUser(rs)) : Optional.<User>empty();
                }
            }
        });
    }

    public long countUsers() {
        return Sql.autoCommit(dataSource, "count users", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM users");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Gives {@code membership.user()} its role in the workspace, replacing the one it had. */
    public void putMembership(Membership membership, Instant at) {
        Checks.notNull(membership, "membership");
        Sql.transaction(dataSource, "put membership " + membership, c -> {
            try (PreparedStatement del =
                            c.prepareStatement("DELETE FROM memberships WHERE workspace = ? AND user_id = ?");
                    PreparedStatement ins = c.prepareStatement(
                            "INSERT INTO memberships (workspace, user_id, role, created_epoch_nanos) VALUES (?, ?, ?, ?)")) {
                del.setString(1, membership.workspace().value());
                del.setString(2, membership.user().value());
                del.executeUpdate();
                ins.setString(1, membership.workspace().value());
                ins.setString(2, membership.user().value());
                ins.setString(3, membership.role());
                ins.setLong(4, Sql.nanos(at));
                return ins.executeUpdate();
            }
        });
    }

    public Optional<Membership> findMembership(WorkspaceId workspace, UserId user) {
        Checks.notNull(workspace, "workspace");
        Checks.notNull(user, "user");
        return Sql.autoCommit(dataSource, "find membership", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT workspace, user_id, role FROM memberships WHERE workspace = ? AND user_id = ?")) {
                ps.setString(1, workspace.value());
                ps.setString(2, user.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readMembership(rs)) : Optional.<Membership>empty();
                }
            }
        });
    }

    /** The user's memberships, by workspace id. */
    public List<Membership> memberships(UserId user) {
        Checks.notNull(user, "user");
        return Sql.autoCommit(dataSource, "list memberships of " + user, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT workspace, user_id, role FROM memberships WHERE user_id = ? ORDER BY workspace")) {
                ps.setString(1, user.value());
                try (ResultSet rs = ps.executeQuery()) {
                    List<Membership> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(readMembership(rs));
                    }
                    return out;
                }
            }
        });
    }

    public Optional<User> findUser(UserId id) {
        Checks.notNull(id, "id");
        return Sql.autoCommit(dataSource, "find user " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, username, password_hash, created_epoch_nanos FROM users WHERE id = ?")) {
                ps.setString(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readUser(rs)) : Optional.<User>empty();
                }
            }
        });
    }

    /** A member of a workspace with the user's name, for listing. */
    public record Member(UserId user, String username, String role, Instant since) {}

    /** The workspace's members, by username. */
    public List<Member> members(WorkspaceId workspace) {
        Checks.notNull(workspace, "workspace");
        return Sql.autoCommit(dataSource, "list members of " + workspace, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT m.user_id, u.username, m.role, m.created_epoch_nanos FROM memberships m"
                            + " JOIN users u ON u.id = m.user_id WHERE m.workspace = ? ORDER BY u.username")) {
                ps.setString(1, workspace.value());
                try (ResultSet rs = ps.executeQuery()) {
                    List<Member> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new Member(
                                UserId.of(rs.getString(1)),
                                rs.getString(2),
                                rs.getString(3),
                                Sql.instant(rs.getLong(4))));
                    }
                    return out;
                }
            }
        });
    }

    /** What {@link #changeMembership} did. */
    public enum Change {
        DONE,
        /** The user is not a member of the workspace. */
        NOT_A_MEMBER,
        /** The user is the workspace's last owner, who may be neither demoted nor removed. */
        LAST_OWNER
    }

    /**
     * Gives an existing member a new role, or removes them when {@code role} is null, unless that
     * would leave the workspace without an owner. The workspace's owner rows are locked meanwhile,
     * so two owners demoting each other at once cannot both succeed.
     */
    public Change changeMembership(WorkspaceId workspace, UserId user, @Nullable String role) {
        Checks.notNull(workspace, "workspace");
        Checks.notNull(user, "user");
        return Sql.transaction(dataSource, "change membership of " + user + " in " + workspace, c -> {
            List<String> owners = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT user_id FROM memberships WHERE workspace = ? AND role = 'owner' FOR UPDATE")) {
                ps.setString(1, workspace.value());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        owners.add(rs.getString(1));
                    }
                }
            }
            if (owners.size() == 1 && owners.get(0).equals(user.value()) && !"owner".equals(role)) {
                return Change.LAST_OWNER;
            }
            String sql = role == null
                    ? "DELETE FROM memberships WHERE workspace = ? AND user_id = ?"
                    : "UPDATE memberships SET role = ? WHERE workspace = ? AND user_id = ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (role != null) {
                    ps.setString(i++, role);
                }
                ps.setString(i++, workspace.value());
                ps.setString(i, user.value());
                return ps.executeUpdate() == 0 ? Change.NOT_A_MEMBER : Change.DONE;
            }
        });
    }

    private static User readUser(ResultSet rs) throws SQLException {
        return new User(UserId.of(rs.getString(1)), rs.getString(2), rs.getString(3), Sql.instant(rs.getLong(4)));
    }

    private static Membership readMembership(ResultSet rs) throws SQLException {
        return new Membership(WorkspaceId.of(rs.getString(1)), UserId.of(rs.getString(2)), rs.getString(3));
    }
}
