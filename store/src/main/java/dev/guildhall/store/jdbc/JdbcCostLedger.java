package dev.guildhall.store.jdbc;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.Checks;
import dev.guildhall.core.RunId;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.cost.CostEntry;
import dev.guildhall.core.cost.CostLedger;
import dev.guildhall.core.cost.SpendQuery;
import dev.guildhall.core.cost.SpendQuery.GroupBy;
import dev.guildhall.core.cost.SpendRow;
import dev.guildhall.core.gateway.ModelPolicy;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/** A {@link CostLedger} in the {@code cost_ledger} table; {@link #spend} groups and sums in SQL. */
public final class JdbcCostLedger implements CostLedger {
    static final int MONEY_SCALE = 18;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_DAY = 86_400L * NANOS_PER_SECOND;
    private static final String DAY_EXPRESSION = "(at_epoch_nanos / " + NANOS_PER_DAY + ")";

    private static final String INSERT =
            """
            INSERT INTO cost_ledger (at_epoch_nanos, workspace, user_id, run_id, agent_id, kind, provider, model,
                policy, requested_policy, input_tokens, output_tokens, estimated_tokens, latency_nanos,
                cost, cost_scale, cached, streamed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String SELECT_ENTRIES =
            """
            SELECT at_epoch_nanos, workspace, user_id, run_id, agent_id, kind, provider, model, policy,
                requested_policy, input_tokens, output_tokens, estimated_tokens, latency_nanos, cost, cost_scale,
                cached, streamed
            FROM cost_ledger""";

    /** Row order of a spend answer: the group keys in Java's string order, nulls first, like the in-memory ledger. */
    private static final Comparator<SpendRow> ROW_ORDER = Comparator.comparing(
                    (SpendRow r) -> r.workspace() == null ? null : r.workspace().value(),
                    Comparator.nullsFirst(Comparator.<String>naturalOrder()))
            .thenComparing(
                    r -> r.user() == null ? null : r.user().value(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(
                    r -> r.agent() == null ? null : r.agent().value(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(SpendRow::provider, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(SpendRow::model, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(SpendRow::day, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final DataSource dataSource;

    public JdbcCostLedger(DataSource dataSource) {
        this.dataSource = Checks.notNull(dataSource, "dataSource");
    }

    @Override
    public void record(CostEntry entry) {
        Checks.notNull(entry, "entry");
        BigDecimal cost = entry.cost();
        Checks.check(
                cost.stripTrailingZeros().scale() <= MONEY_SCALE,
                "cost must have at most %d decimal places, was %s".formatted(MONEY_SCALE, cost.toPlainString()));
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setLong(1, epochNanos(entry.at()));
            ps.setString(2, entry.workspace().value());
            setNullable(ps, 3, entry.user() == null ? null : entry.user().value());
            setNullable(ps, 4, entry.run() == null ? null : entry.run().value());
            setNullable(ps, 5, entry.agent() == null ? null : entry.agent().value());
            ps.setString(6, entry.kind().name());
            ps.setString(7, entry.provider());
            ps.setString(8, entry.model());
            ps.setString(9, entry.policy().name());
            ps.setString(10, entry.requestedPolicy().name());
            ps.setLong(11, entry.inputTokens());
            ps.setLong(12, entry.outputTokens());
            ps.setBoolean(13, entry.estimatedTokens());
            ps.setLong(14, entry.latency().toNanos());
            ps.setBigDecimal(15, cost);
            ps.setInt(16, cost.scale());
            ps.setBoolean(17, entry.cached());
            ps.setBoolean(18, entry.streamed());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw StoreErrors.map("record cost entry", e);
        }
    }

    @Override
    public List<CostEntry> entries(SpendQuery query) {
        Checks.notNull(query, "query");
        Where where = Where.of(query);
        String sql = SELECT_ENTRIES + where.sql + " ORDER BY at_epoch_nanos, id";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            where.bind(ps);
            List<CostEntry> entries = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(toEntry(rs));
                }
            }
            return List.copyOf(entries);
        } catch (SQLException e) {
            throw StoreErrors.map("read cost entries", e);
        }
    }

    @Override
    public List<SpendRow> spend(SpendQuery query) {
        Checks.notNull(query, "query");
        List<GroupBy> groupBy = query.groupBy();
        List<String> keys = new ArrayList<>();
        for (GroupBy g : groupBy) {
            switch (g) {
                case WORKSPACE -> keys.add("workspace");
                case USER -> keys.add("user_id");
                case AGENT -> keys.add("agent_id");
                case MODEL -> {
                    keys.add("provider");
                    keys.add("model");
                }
                case DAY -> keys.add(DAY_EXPRESSION);
            }
        }
        Where where = Where.of(query);
        StringBuilder sql = new StringBuilder("SELECT ");
        for (String key : keys) {
            sql.append(key).append(", ");
        }
        sql.append(
                """
                COUNT(*), COALESCE(SUM(CASE WHEN cached THEN 1 ELSE 0 END), 0), COALESCE(SUM(input_tokens), 0),
                COALESCE(SUM(output_tokens), 0), COALESCE(SUM(cost), 0) FROM cost_ledger""");
        sql.append(where.sql);
        if (!keys.isEmpty()) {
            sql.append(" GROUP BY ").append(String.join(", ", keys));
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            where.bind(ps);
            List<SpendRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(toRow(rs, groupBy, keys.size()));
                }
            }
            // Sorted here rather than with ORDER BY: PostgreSQL orders text by the database's collation,
            // which differs from the in-memory ledger's (and H2's) code-point order.
            rows.sort(ROW_ORDER);
            return List.copyOf(rows);
        } catch (SQLException e) {
            throw StoreErrors.map("add up spend", e);
        }
    }

    private static SpendRow toRow(ResultSet rs, List<GroupBy> groupBy, int keyCount) throws SQLException {
        WorkspaceId workspace = null;
        UserId user = null;
        AgentId agent = null;
        String provider = null;
        String model = null;
        LocalDate day = null;
        int column = 1;
        for (GroupBy g : groupBy) {
            switch (g) {
                case WORKSPACE -> workspace = WorkspaceId.of(rs.getString(column++));
                case USER -> user = userOrNull(rs.getString(column++));
                case AGENT -> agent = agentOrNull(rs.getString(column++));
                case MODEL -> {
                    provider = rs.getString(column++);
                    model = rs.getString(column++);
                }
                case DAY -> day = LocalDate.ofEpochDay(rs.getLong(column++));
            }
        }
        int totals = keyCount + 1;
        return new SpendRow(
                workspace,
                user,
                agent,
                provider,
                model,
                day,
                rs.getLong(totals),
                rs.getLong(totals + 1),
                rs.getLong(totals + 2),
                rs.getLong(totals + 3),
                rs.getBigDecimal(totals + 4));
    }

    private static CostEntry toEntry(ResultSet rs) throws SQLException {
        long atNanos = rs.getLong("at_epoch_nanos");
        BigDecimal cost = rs.getBigDecimal("cost").setScale(rs.getInt("cost_scale"), RoundingMode.UNNECESSARY);
        String run = rs.getString("run_id");
        return new CostEntry(
                Instant.ofEpochSecond(
                        Math.floorDiv(atNanos, NANOS_PER_SECOND), Math.floorMod(atNanos, NANOS_PER_SECOND)),
                WorkspaceId.of(rs.getString("workspace")),
                userOrNull(rs.getString("user_id")),
                run == null ? null : RunId.of(run),
                agentOrNull(rs.getString("agent_id")),
                CostEntry.Kind.valueOf(rs.getString("kind")),
                rs.getString("provider"),
                rs.getString("model"),
                ModelPolicy.valueOf(rs.getString("policy")),
                ModelPolicy.valueOf(rs.getString("requested_policy")),
                rs.getLong("input_tokens"),
                rs.getLong("output_tokens"),
                rs.getBoolean("estimated_tokens"),
                Duration.ofNanos(rs.getLong("latency_nanos")),
                cost,
                rs.getBoolean("cached"),
                rs.getBoolean("streamed"));
    }

    private static @Nullable UserId userOrNull(@Nullable String value) {
        return value == null ? null : UserId.of(value);
    }

    private static @Nullable AgentId agentOrNull(@Nullable String value) {
        return value == null ? null : AgentId.of(value);
    }

    static long epochNanos(Instant at) {
        try {
            return Math.addExact(Math.multiplyExact(at.getEpochSecond(), NANOS_PER_SECOND), at.getNano());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("at must be between the years 1677 and 2262, was " + at, e);
        }
    }

    private static void setNullable(PreparedStatement ps, int index, @Nullable String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    /** The WHERE clause of a query's filters and the values to bind to it, in order. */
    private record Where(String sql, List<Object> values) {
        static Where of(SpendQuery query) {
            StringBuilder sql = new StringBuilder(" WHERE at_epoch_nanos >= ? AND at_epoch_nanos < ?");
            List<Object> values = new ArrayList<>();
            values.add(epochNanos(query.from()));
            values.add(epochNanos(query.to()));
            if (query.workspace() != null) {
                sql.append(" AND workspace = ?");
                values.add(query.workspace().value());
            }
            if (query.user() != null) {
                sql.append(" AND user_id = ?");
                values.add(query.user().value());
            }
            if (query.agent() != null) {
                sql.append(" AND agent_id = ?");
                values.add(query.agent().value());
            }
            return new Where(sql.toString(), List.copyOf(values));
        }

        void bind(PreparedStatement ps) throws SQLException {
            for (int i = 0; i < values.size(); i++) {
                Object value = values.get(i);
                if (value instanceof Long l) {
                    ps.setLong(i + 1, l);
                } else {
                    ps.setString(i + 1, (String) value);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "JdbcCostLedger[" + dataSource + "]";
    }
}
