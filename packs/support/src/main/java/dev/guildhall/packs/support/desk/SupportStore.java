package dev.guildhall.packs.support.desk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.guildhall.core.Checks;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.packs.support.agents.SlaWatch;
import dev.guildhall.packs.support.customer.CustomerDirectory;
import dev.guildhall.packs.support.customer.CustomerId;
import dev.guildhall.packs.support.customer.CustomerProfile;
import dev.guildhall.packs.support.desk.SupportRecords.Author;
import dev.guildhall.packs.support.desk.SupportRecords.Channel;
import dev.guildhall.packs.support.desk.SupportRecords.Citation;
import dev.guildhall.packs.support.desk.SupportRecords.Conversation;
import dev.guildhall.packs.support.desk.SupportRecords.Customer;
import dev.guildhall.packs.support.desk.SupportRecords.Message;
import dev.guildhall.packs.support.desk.SupportRecords.Status;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

/**
 * The support desk's customers, conversations and messages in plain JDBC. Every statement names
 * the workspace, so one workspace never reads or changes another's rows. The tables are the pack's
 * own, migrated by {@link #migrate} from {@code classpath:db/support} with their own history table.
 * Thread-safe.
 */
public final class SupportStore implements CustomerDirectory {
    public static final String MIGRATIONS = "classpath:db/support";
    public static final String HISTORY_TABLE = "support_schema_history";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Citation>> CITATIONS = new TypeReference<>() {};

    private final DataSource dataSource;

    public SupportStore(DataSource dataSource) {
        this.dataSource = Checks.notNull(dataSource, "dataSource");
    }

    /** Migrates the pack's tables and returns a store over them. */
    public static SupportStore open(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .table(HISTORY_TABLE)
                // The schema already holds the store's tables; version 0 keeps V1 from being skipped.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        return new SupportStore(dataSource);
    }

    // ---- customers

    /** @throws IllegalArgumentException when the workspace already has a customer with this id */
    public void createCustomer(WorkspaceId workspace, Customer c) {
        update(
                "INSERT INTO support_customers (workspace_id, id, name, email, plan, lifetime_value, health, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                "customer " + c.id() + " already exists",
                workspace.value(),
                c.id(),
                c.name(),
                c.email(),
                c.plan(),
                c.lifetimeValue(),
                c.health(),
                Timestamp.from(c.createdAt()));
    }

    public boolean updateCustomer(WorkspaceId workspace, Customer c) {
        return update(
                        "UPDATE support_customers SET name = ?, email = ?, plan = ?, lifetime_value = ?, health = ?"
                                + " WHERE workspace_id = ? AND id = ?",
                        null,
                        c.name(),
                        c.email(),
                        c.plan(),
                        c.lifetimeValue(),
                        c.health(),
                        workspace.value(),
                        c.id())
                == 1;
    }

    public Optional<Customer> customer(WorkspaceId workspace, String id) {
        return query(
                        "SELECT * FROM support_customers WHERE workspace_id = ? AND id = ?",
                        SupportStore::customer,
                        workspace.value(),
                        id)
                .stream()
                .findFirst();
    }

    public List<Customer> customers(WorkspaceId workspace, int limit) {
        return query(
                "SELECT * FROM support_customers WHERE workspace_id = ? ORDER BY created_at, id LIMIT ?",
                SupportStore::customer,
                workspace.value(),
                limit);
    }

    /**
     * The desk's view of a customer: the profile, the latest five conversations (status and
     * intent) and how many are not resolved.
     */
    @Override
    public Optional<CustomerProfile> find(WorkspaceId workspace, CustomerId id) {
        return customer(workspace, id.value()).map(c -> {
            List<Conversation> theirs = query(
                    "SELECT * FROM support_conversations WHERE workspace_id = ? AND customer_id = ?"
                            + " ORDER BY updated_at DESC, id",
                    SupportStore::conversation,
                    workspace.value(),
                    c.id());
            List<String> recent = theirs.stream()
                    .limit(5)
                    .map(v -> v.status().wire() + ": " + (v.intent() == null ? "unclassified" : v.intent()))
                    .toList();
            int open = (int)
                    theirs.stream().filter(v -> v.status() != Status.RESOLVED).count();
            return new CustomerProfile(
                    id, c.name(), c.plan(), c.lifetimeValue().doubleValue(), c.health(), recent, open);
        });
    }

    // ---- conversations

    public void createConversation(WorkspaceId workspace, Conversation c) {
        update(
                "INSERT INTO support_conversations (workspace_id, id, customer_id, channel, status, assignee, tags,"
                        + " intent, csat, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "conversation " + c.id() + " already exists",
                workspace.value(),
                c.id(),
                c.customerId(),
                c.channel().wire(),
                c.status().wire(),
                c.assignee(),
                String.join(",", c.tags()),
                c.intent(),
                c.csat(),
                Timestamp.from(c.createdAt()),
                Timestamp.from(c.updatedAt()));
    }

    public Optional<Conversation> conversation(WorkspaceId workspace, String id) {
        return query(
                        "SELECT * FROM support_conversations WHERE workspace_id = ? AND id = ?",
                        SupportStore::conversation,
                        workspace.value(),
                        id)
                .stream()
                .findFirst();
    }

    /** The workspace's conversations, most recently updated first, optionally of one status. */
    /** What a conversation list keeps: every non-null part must match. */
    public record ConversationFilter(
            @Nullable Status status, @Nullable String assignee, @Nullable String tag, @Nullable Channel channel) {
        public static final ConversationFilter ALL = new ConversationFilter(null, null, null, null);

        public static ConversationFilter status(Status status) {
            return new ConversationFilter(status, null, null, null);
        }
    }

    /** Where a page of conversations ended: the last one's update time and id. */
    public record ConversationCursor(Instant updatedAt, String id) {}

    /** The workspace's conversations matching {@code filter}, most recently updated first. */
    public List<Conversation> conversations(WorkspaceId workspace, ConversationFilter filter, int limit) {
        return conversations(workspace, filter, null, limit);
    }

    /**
     * The page after {@code after} (null: the first page) of the workspace's conversations matching
     * {@code filter}, most recently updated first, ties by id. A keyset, so a page does not shift
     * when conversations are added before it.
     */
    public List<Conversation> conversations(
            WorkspaceId workspace, ConversationFilter filter, @Nullable ConversationCursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM support_conversations WHERE workspace_id = ?");
        List<Object> args = new ArrayList<>(List.of(workspace.value()));
        if (after != null) {
            sql.append(" AND (updated_at < ? OR (updated_at = ? AND id > ?))");
            args.add(Timestamp.from(after.updatedAt()));
            args.add(Timestamp.from(after.updatedAt()));
            args.add(after.id());
        }
        if (filter.status() != null) {
            sql.append(" AND status = ?");
            args.add(filter.status().wire());
        }
        if (filter.assignee() != null) {
            sql.append(" AND assignee = ?");
            args.add(filter.assignee());
        }
        if (filter.channel() != null) {
            sql.append(" AND channel = ?");
            args.add(filter.channel().wire());
        }
        if (filter.tag() != null) {
            // Tags are stored comma-joined (a tag holds no comma): match one whole tag.
            sql.append(" AND (',' || tags || ',') LIKE ?");
            args.add("%," + filter.tag().replace("%", "").replace("_", "") + ",%");
        }
        sql.append(" ORDER BY updated_at DESC, id LIMIT ?");
        args.add(limit);
        return query(sql.toString(), SupportStore::conversation, args.toArray());
    }

    /**
     * What the SLA watch needs of the workspace's unresolved conversations (at most {@code limit},
     * least recently updated first): when each was opened, when its customer last wrote, and when
     * the desk or staff last replied (escalation notes are not replies).
     */
    public List<SlaWatch.Facts> slaFacts(WorkspaceId workspace, int limit) {
        return query(
                "SELECT c.id, c.status, c.created_at,"
                        + " (SELECT MAX(m.created_at) FROM support_messages m WHERE m.workspace_id = c.workspace_id"
                        + " AND m.conversation_id = c.id AND m.author = 'customer'),"
                        + " (SELECT MAX(m.created_at) FROM support_messages m WHERE m.workspace_id = c.workspace_id"
                        + " AND m.conversation_id = c.id AND m.author IN ('agent', 'staff'))"
                        + " FROM support_conversations c WHERE c.workspace_id = ? AND c.status <> 'resolved'"
                        + " ORDER BY c.updated_at, c.id LIMIT ?",
                rs -> new SlaWatch.Facts(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getTimestamp(3).toInstant(),
                        rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant(),
                        rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant()),
                workspace.value(),
                limit);
    }

    /** Assigns the conversation to a staff member, or unassigns it ({@code assignee} null). */
    public boolean setAssignee(WorkspaceId workspace, String id, @Nullable String assignee, Instant at) {
        return update(
                        "UPDATE support_conversations SET assignee = ?, updated_at = ? WHERE workspace_id = ? AND id = ?",
                        null,
                        assignee,
                        Timestamp.from(at),
                        workspace.value(),
                        id)
                == 1;
    }

    /** Replaces the conversation's tags. */
    public boolean setTags(WorkspaceId workspace, String id, List<String> tags, Instant at) {
        return update(
                        "UPDATE support_conversations SET tags = ?, updated_at = ? WHERE workspace_id = ? AND id = ?",
                        null,
                        String.join(",", tags),
                        Timestamp.from(at),
                        workspace.value(),
                        id)
                == 1;
    }

    /** Sets the status (and the intent when not null); false when the conversation is not the workspace's. */
    public boolean setStatus(WorkspaceId workspace, String id, Status status, @Nullable String intent, Instant at) {
        return update(
                        "UPDATE support_conversations SET status = ?, intent = COALESCE(?, intent), updated_at = ?"
                                + " WHERE workspace_id = ? AND id = ?",
                        null,
                        status.wire(),
                        intent,
                        Timestamp.from(at),
                        workspace.value(),
                        id)
                == 1;
    }

    public boolean setCsat(WorkspaceId workspace, String id, int csat, Instant at) {
        return update(
                        "UPDATE support_conversations SET csat = ?, updated_at = ? WHERE workspace_id = ? AND id = ?",
                        null,
                        csat,
                        Timestamp.from(at),
                        workspace.value(),
                        id)
                == 1;
    }

    // ---- messages

    /**
     * Adds a message; false when the workspace already has a message with this id (the desk's
     * write-back is idempotent through the reply's id).
     */
    public boolean addMessage(WorkspaceId workspace, Message m) {
        try {
            update(
                    "INSERT INTO support_messages (workspace_id, id, conversation_id, author, body, citations, run_id,"
                            + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    "message " + m.id() + " already exists",
                    workspace.value(),
                    m.id(),
                    m.conversationId(),
                    m.author().wire(),
                    m.text(),
                    JSON.writeValueAsString(m.citations()),
                    m.runId(),
                    Timestamp.from(m.createdAt()));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write citations", e);
        }
    }

    // ---- outcomes and analytics

    /** Records how the desk settled a customer message; a second record of the same message is ignored. */
    public void recordOutcome(WorkspaceId workspace, SupportAnalytics.Outcome o) {
        update(
                "INSERT INTO support_outcomes (workspace_id, message_id, conversation_id, channel, intent, outcome,"
                        + " lane, verified, received_at, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT DO NOTHING",
                null,
                workspace.value(),
                o.messageId(),
                o.conversationId(),
                o.channel().wire(),
                o.intent(),
                o.outcome(),
                o.lane(),
                o.verified(),
                Timestamp.from(o.receivedAt()),
                Timestamp.from(o.answeredAt()));
    }

    /** The desk's figures for {@code workspace} between {@code from} (inclusive) and {@code to} (exclusive). */
    public SupportAnalytics analytics(WorkspaceId workspace, Instant from, Instant to) {
        Checks.check(from.isBefore(to), "from must be before to");
        Timestamp f = Timestamp.from(from);
        Timestamp t = Timestamp.from(to);
        String ws = workspace.value();
        String window = " FROM support_outcomes WHERE workspace_id = ? AND answered_at >= ? AND answered_at < ?";
        Map<String, Long> byIntent = new java.util.TreeMap<>();
        query(
                "SELECT COALESCE(intent, 'none-of-these'), COUNT(*)" + window + " GROUP BY COALESCE(intent,"
                        + " 'none-of-these')",
                rs -> byIntent.put(rs.getString(1), rs.getLong(2)),
                ws,
                f,
                t);
        Map<String, Long> byChannel = new java.util.TreeMap<>();
        query(
                "SELECT channel, COUNT(*)" + window + " GROUP BY channel",
                rs -> byChannel.put(rs.getString(1), rs.getLong(2)),
                ws,
                f,
                t);
        long[] counts = query(
                        "SELECT COUNT(*), SUM(CASE WHEN outcome = 'replied' THEN 1 ELSE 0 END),"
                                + " SUM(CASE WHEN verified IS NOT NULL THEN 1 ELSE 0 END),"
                                + " SUM(CASE WHEN verified THEN 1 ELSE 0 END)" + window,
                        rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)},
                        ws,
                        f,
                        t)
                .get(0);
        long messages = counts[0];
        List<Long> firstResponse = query(
                "SELECT received_at, answered_at" + window + " ORDER BY answered_at",
                rs -> rs.getTimestamp(2).getTime() - rs.getTimestamp(1).getTime(),
                ws,
                f,
                t);
        List<Long> resolution = query(
                "SELECT created_at, updated_at FROM support_conversations WHERE workspace_id = ? AND status ="
                        + " 'resolved' AND updated_at >= ? AND updated_at < ?",
                rs -> rs.getTimestamp(2).getTime() - rs.getTimestamp(1).getTime(),
                ws,
                f,
                t);
        Object[] csat = query(
                        "SELECT AVG(CAST(csat AS DOUBLE PRECISION)), COUNT(csat) FROM support_conversations"
                                + " WHERE workspace_id = ? AND csat IS NOT NULL AND updated_at >= ? AND updated_at < ?",
                        rs -> new Object[] {rs.getObject(1) == null ? null : rs.getDouble(1), rs.getLong(2)},
                        ws,
                        f,
                        t)
                .get(0);
        return new SupportAnalytics(
                from,
                to,
                messages,
                byIntent,
                byChannel,
                messages == 0 ? 0.0 : (double) counts[1] / messages,
                messages == 0 ? 0.0 : (double) (messages - counts[1]) / messages,
                counts[2] == 0 ? null : (double) counts[3] / counts[2],
                percentile(firstResponse, 0.5),
                percentile(firstResponse, 0.9),
                resolution.size(),
                percentile(resolution, 0.5),
                (Double) csat[0],
                (Long) csat[1],
                Map.of());
    }

    private static @Nullable Long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return null;
        }
        List<Long> sorted = new ArrayList<>(values);
        java.util.Collections.sort(sorted);
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    public boolean hasMessage(WorkspaceId workspace, String id) {
        return !query(
                        "SELECT id FROM support_messages WHERE workspace_id = ? AND id = ?",
                        rs -> rs.getString(1),
                        workspace.value(),
                        id)
                .isEmpty();
    }

    public boolean setRunId(WorkspaceId workspace, String messageId, String runId) {
        return update(
                        "UPDATE support_messages SET run_id = ? WHERE workspace_id = ? AND id = ?",
                        null,
                        runId,
                        workspace.value(),
                        messageId)
                == 1;
    }

    /**
     * Every workspace's customer messages whose desk run has no recorded outcome yet, oldest first:
     * what a node that (re)starts must watch. Keyed by workspace, as every other read.
     */
    public List<java.util.Map.Entry<WorkspaceId, Message>> awaitingOutcome(int limit) {
        return query(
                "SELECT * FROM support_messages m WHERE m.author = 'customer' AND m.run_id IS NOT NULL"
                        + " AND NOT EXISTS (SELECT 1 FROM support_messages r WHERE r.workspace_id = m.workspace_id"
                        + " AND r.id = CONCAT(m.id, '-desk')) ORDER BY m.created_at LIMIT ?",
                rs -> java.util.Map.entry(WorkspaceId.of(rs.getString("workspace_id")), message(rs)),
                limit);
    }

    public List<Message> messages(WorkspaceId workspace, String conversationId) {
        return query(
                "SELECT * FROM support_messages WHERE workspace_id = ? AND conversation_id = ? ORDER BY created_at, id",
                SupportStore::message,
                workspace.value(),
                conversationId);
    }

    // ---- mapping

    private static Customer customer(ResultSet rs) throws SQLException {
        return new Customer(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("email"),
                rs.getString("plan"),
                rs.getBigDecimal("lifetime_value"),
                rs.getString("health"),
                rs.getTimestamp("created_at").toInstant());
    }

    private static Conversation conversation(ResultSet rs) throws SQLException {
        String tags = rs.getString("tags");
        int csat = rs.getInt("csat");
        Integer csatOrNull = rs.wasNull() ? null : csat;
        return new Conversation(
                rs.getString("id"),
                rs.getString("customer_id"),
                SupportRecords.parse(Channel.class, "channel", rs.getString("channel")),
                SupportRecords.parse(Status.class, "status", rs.getString("status")),
                rs.getString("assignee"),
                tags.isEmpty() ? List.of() : Arrays.asList(tags.split(",")),
                rs.getString("intent"),
                csatOrNull,
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static Message message(ResultSet rs) throws SQLException {
        try {
            return new Message(
                    rs.getString("id"),
                    rs.getString("conversation_id"),
                    SupportRecords.parse(Author.class, "author", rs.getString("author")),
                    rs.getString("body"),
                    JSON.readValue(rs.getString("citations"), CITATIONS),
                    rs.getString("run_id"),
                    rs.getTimestamp("created_at").toInstant());
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable citations of message " + rs.getString("id"), e);
        }
    }

    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Row<T> row, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("support store query failed: " + e.getMessage(), e);
        }
    }

    /** Runs an update; a unique-key violation is an {@link IllegalArgumentException} saying {@code duplicate}. */
    private int update(String sql, @Nullable String duplicate, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            // 23505: unique violation on both H2 and PostgreSQL.
            if (duplicate != null && "23505".equals(e.getSQLState())) {
                throw new IllegalArgumentException(duplicate, e);
            }
            throw new IllegalStateException("support store update failed: " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                ps.setNull(i + 1, Types.NULL);
            } else {
                ps.setObject(i + 1, args[i]);
            }
        }
    }
}
