package dev.guildhall.store.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.Checks;
import dev.guildhall.core.NotFoundException;
import dev.guildhall.core.RunId;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.RunSnapshot;
import dev.guildhall.core.workflow.RunStatus;
import dev.guildhall.core.workflow.RunStore;
import dev.guildhall.core.workflow.StaleVersionException;
import dev.guildhall.core.workflow.State;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Runs and every checkpoint of them in the {@code runs}, {@code checkpoints} and {@code payloads}
 * tables. A save is one transaction: the version check, the checkpoint, its new payloads and its
 * event in the outbox, so an event is published exactly for the checkpoints that exist. State
 * values over the inline limit are stored once per run, by hash, however many checkpoints carry them.
 */
public final class JdbcRunStore implements RunStore {
    /** The outbox topic run events go to. */
    public static final String TOPIC = "runs";
    /** Serialised state values longer than this many characters are stored as payloads. */
    public static final int DEFAULT_INLINE_LIMIT = 1024;

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String RUN_COLUMNS = "r.id, r.workspace, r.workflow_id, r.user_id, r.idempotency_key,"
            + " r.parent_id, r.parent_key, r.input_json, r.created_epoch_nanos";
    private static final String CHECKPOINT_COLUMNS = "c.version, c.status, c.superstep, c.state_inline, c.state_refs,"
            + " c.frontier, c.visits, c.waits, c.journal, c.failure, c.updated_epoch_nanos";
    private static final String INSERT_RUN = "INSERT INTO runs (id, workspace, workflow_id, user_id, idempotency_key,"
            + " parent_id, parent_key, status, input_json, version, superstep, created_epoch_nanos, updated_epoch_nanos)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_CHECKPOINT = "INSERT INTO checkpoints (run_id, version, status, superstep,"
            + " state_inline, state_refs, frontier, visits, waits, journal, failure, updated_epoch_nanos)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_PAYLOAD =
            "INSERT INTO payloads (run_id, hash, body, size_bytes) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String INSERT_OUTBOX = "INSERT INTO outbox (event_id, topic, event_type, event_key, payload,"
            + " occurred_epoch_nanos) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String ADVANCE =
            "UPDATE runs SET status = ?, version = ?, superstep = ?, updated_epoch_nanos = ?"
                    + " WHERE id = ? AND version = ?";

    /**
     * PostgreSQL only: the whole save as one statement, so that it costs one round trip and an
     * auto-commit instead of four round trips. Data-modifying CTEs are PostgreSQL's, hence the
     * vendor-specific SQL; H2 takes the portable path.
     */
    private static final String SAVE_IN_ONE_STATEMENT = "WITH advanced AS (UPDATE runs SET status = ?, version = ?,"
            + " superstep = ?, updated_epoch_nanos = ? WHERE id = ? AND version = ? RETURNING id),"
            + " checkpoint AS (INSERT INTO checkpoints (run_id, version, status, superstep, state_inline, state_refs,"
            + " frontier, visits, waits, journal, failure, updated_epoch_nanos)"
            + " SELECT id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM advanced RETURNING run_id)"
            + " INSERT INTO outbox (event_id, topic, event_type, event_key, payload, occurred_epoch_nanos)"
            + " SELECT ?, ?, ?, ?, ?, ? FROM checkpoint";

    private final DataSource dataSource;
    private final int inlineLimit;
    private final boolean postgres;

    public JdbcRunStore(DataSource dataSource) {
        this(dataSource, DEFAULT_INLINE_LIMIT);
    }

    public JdbcRunStore(DataSource dataSource, int inlineLimit) {
        this.dataSource = Checks.notNull(dataSource, "dataSource");
        this.inlineLimit = Checks.positive(inlineLimit, "inlineLimit");
        this.postgres = Sql.autoCommit(dataSource, "inspect database", Sql::isPostgres);
    }

    @Override
    public RunSnapshot create(RunSnapshot run) {
        Checks.notNull(run, "run");
        if (run.idempotencyKey() != null) {
            Optional<RunSnapshot> existing = findByIdempotencyKey(run.workspace(), run.idempotencyKey());
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        try {
            return Sql.transaction(dataSource, "create run " + run.id(), c -> {
                try (PreparedStatement ps = c.prepareStatement(INSERT_RUN)) {
                    ps.setString(1, run.id().value());
                    ps.setString(2, run.workspace().value());
                    ps.setString(3, run.workflowId());
                    Sql.setNullable(
                            ps, 4, run.user() == null ? null : run.user().value());
                    Sql.setNullable(ps, 5, run.idempotencyKey());
                    Sql.setNullable(
                            ps, 6, run.parent() == null ? null : run.parent().value());
                    Sql.setNullable(ps, 7, run.parentKey());
                    ps.setString(8, run.status().name());
                    ps.setString(9, Json.write(run.input()));
                    ps.setLong(10, run.version());
                    ps.setInt(11, run.superstep());
                    ps.setLong(12, Sql.nanos(run.createdAt()));
                    ps.setLong(13, Sql.nanos(run.updatedAt()));
                    ps.executeUpdate();
                }
                writeCheckpoint(c, run, "run.created");
                return run;
            });
        } catch (StoreFailedException e) {
            // Another process created a run with the same idempotency key between our read and insert.
            if (run.idempotencyKey() != null
                    && e.getCause() instanceof SQLException sql
                    && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                Optional<RunSnapshot> winner = findByIdempotencyKey(run.workspace(), run.idempotencyKey());
                if (winner.isPresent()) {
                    return winner.get();
                }
            }
            throw e;
        }
    }

    @Override
    public RunSnapshot save(RunSnapshot next) {
        Checks.notNull(next, "next");
        if (postgres && (!next.status().isTerminal() || next.status() == RunStatus.FAILED)) {
            SnapshotCodec.SplitState state = SnapshotCodec.split(next.state().toJson(), inlineLimit);
            if (state.payloads().isEmpty()) {
                return saveInOneStatement(next, state);
            }
        }
        return Sql.transaction(dataSource, "save run " + next.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement(ADVANCE)) {
                ps.setString(1, next.status().name());
                ps.setLong(2, next.version());
                ps.setInt(3, next.superstep());
                ps.setLong(4, Sql.nanos(next.updatedAt()));
                ps.setString(5, next.id().value());
                ps.setLong(6, next.version() - 1);
                if (ps.executeUpdate() == 0) {
                    throw staleOrMissing(c, next);
                }
            }
            writeCheckpoint(c, next, CheckpointEvents.type(next));
            if (next.status().isTerminal() && next.status() != RunStatus.FAILED) {
                // A failed run keeps them: an operator's retry runs the failed superstep again.
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM step_calls WHERE run_id = ?")) {
                    ps.setString(1, next.id().value());
                    ps.executeUpdate(); // A finished run's steps will not run again.
                }
            }
            return next;
        });
    }

    private RunSnapshot saveInOneStatement(RunSnapshot next, SnapshotCodec.SplitState state) {
        return Sql.autoCommit(dataSource, "save run " + next.id(), c -> {
            long at = Sql.nanos(next.updatedAt());
            try (PreparedStatement ps = c.prepareStatement(SAVE_IN_ONE_STATEMENT)) {
                int i = 1;
                ps.setString(i++, next.status().name());
                ps.setLong(i++, next.version());
                ps.setInt(i++, next.superstep());
                ps.setLong(i++, at);
                ps.setString(i++, next.id().value());
                ps.setLong(i++, next.version() - 1);
                i = bindCheckpoint(ps, i, next, state);
                bindEvent(ps, i, next, CheckpointEvents.type(next));
                if (ps.executeUpdate() == 0) {
                    throw staleOrMissing(c, next);
                }
            }
            return next;
        });
    }

    /** Binds a checkpoint's columns after run_id, from {@code version} to {@code updated_epoch_nanos}. */
    private static int bindCheckpoint(PreparedStatement ps, int first, RunSnapshot run, SnapshotCodec.SplitState state)
            throws SQLException {
        int i = first;
        ps.setLong(i++, run.version());
        ps.setString(i++, run.status().name());
        ps.setInt(i++, run.superstep());
        ps.setString(i++, state.inline().toString());
        ps.setString(i++, state.refs().toString());
        ps.setString(i++, SnapshotCodec.frontier(run.frontier()));
        ps.setString(i++, SnapshotCodec.visits(run.visits()));
        ps.setString(i++, SnapshotCodec.waits(run.waits()));
        ps.setString(i++, SnapshotCodec.journal(run.journal()));
        Sql.setNullable(ps, i++, SnapshotCodec.failure(run.failure()));
        ps.setLong(i++, Sql.nanos(run.updatedAt()));
        return i;
    }

    /** Binds an outbox row's columns, from {@code event_id} to {@code occurred_epoch_nanos}. */
    private static void bindEvent(PreparedStatement ps, int first, RunSnapshot run, String eventType)
            throws SQLException {
        ObjectNode event = CheckpointEvents.data(run);
        int i = first;
        ps.setString(i++, CheckpointEvents.id(run));
        ps.setString(i++, TOPIC);
        ps.setString(i++, eventType);
        ps.setString(i++, run.id().value());
        ps.setString(i++, event.toString());
        ps.setLong(i, Sql.nanos(run.updatedAt()));
    }

    private RuntimeException staleOrMissing(Connection c, RunSnapshot next) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM runs WHERE id = ?")) {
            ps.setString(1, next.id().value());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new NotFoundException("Run", next.id());
                }
                return new StaleVersionException(next.id(), next.version() - 1, rs.getLong(1));
            }
        }
    }

    private void writeCheckpoint(Connection c, RunSnapshot run, String eventType) throws SQLException {
        SnapshotCodec.SplitState state = SnapshotCodec.split(run.state().toJson(), inlineLimit);
        if (!state.payloads().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(INSERT_PAYLOAD)) {
                for (Map.Entry<String, String> p : state.payloads().entrySet()) {
                    ps.setString(1, run.id().value());
                    ps.setString(2, p.getKey());
                    ps.setString(3, p.getValue());
                    ps.setLong(4, p.getValue().length());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_CHECKPOINT)) {
            ps.setString(1, run.id().value());
            bindCheckpoint(ps, 2, run, state);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_OUTBOX)) {
            bindEvent(ps, 1, run, eventType);
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<RunSnapshot> find(RunId id) {
        Checks.notNull(id, "id");
        String sql = "SELECT " + RUN_COLUMNS + ", " + CHECKPOINT_COLUMNS
                + " FROM runs r JOIN checkpoints c ON c.run_id = r.id AND c.version = r.version WHERE r.id = ?";
        return Sql.autoCommit(dataSource, "find run " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    Row row = Row.read(rs);
                    return Optional.of(row.toSnapshot(payloads(c, id, row.refs())));
                }
            }
        });
    }

    @Override
    public Optional<RunSnapshot> findByIdempotencyKey(WorkspaceId workspace, String key) {
        Checks.notNull(workspace, "workspace");
        Checks.notBlank(key, "key");
        Optional<String> id = Sql.autoCommit(dataSource, "find run by idempotency key", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT id FROM runs WHERE workspace = ? AND idempotency_key = ?")) {
                ps.setString(1, workspace.value());
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
        return id.flatMap(v -> find(RunId.of(v)));
    }

    @Override
    public List<RunSnapshot> history(RunId id) {
        Checks.notNull(id, "id");
        String sql = "SELECT " + RUN_COLUMNS + ", " + CHECKPOINT_COLUMNS
                + " FROM runs r JOIN checkpoints c ON c.run_id = r.id WHERE r.id = ? ORDER BY c.version";
        return Sql.autoCommit(dataSource, "history of run " + id, c -> {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(Row.read(rs));
                    }
                }
            }
            Set<String> hashes = new HashSet<>();
            rows.forEach(r -> r.refs()
                    .fields()
                    .forEachRemaining(e -> hashes.add(e.getValue().asText())));
            Map<String, JsonNode> bodies = payloads(c, id, hashes);
            List<RunSnapshot> out = new ArrayList<>(rows.size());
            rows.forEach(r -> out.add(r.toSnapshot(bodies)));
            return out;
        });
    }

    @Override
    public void recordCall(RunId run, String step, String key, JsonNode result) {
        Sql.autoCommit(dataSource, "record call of run " + run, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO step_calls (run_id, step, call_key, result)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, run.value());
                ps.setString(2, step);
                ps.setString(3, key);
                ps.setString(4, Json.write(result));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Map<String, Map<String, JsonNode>> recordedCalls(RunId run) {
        return Sql.autoCommit(dataSource, "recorded calls of run " + run, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT step, call_key, result FROM step_calls WHERE run_id = ?")) {
                ps.setString(1, run.value());
                Map<String, Map<String, JsonNode>> out = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                                .put(rs.getString(2), Json.parse(rs.getString(3)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<RunId> children(RunId parent) {
        Checks.notNull(parent, "parent");
        return Sql.autoCommit(dataSource, "children of run " + parent, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM runs WHERE parent_id = ? ORDER BY id")) {
                ps.setString(1, parent.value());
                List<RunId> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(RunId.of(rs.getString(1)));
                    }
                }
                return out;
            }
        });
    }

    private static Map<String, JsonNode> payloads(Connection c, RunId id, JsonNode refs) throws SQLException {
        if (refs.isEmpty()) {
            return Map.of();
        }
        Set<String> hashes = new HashSet<>();
        refs.fields().forEachRemaining(e -> hashes.add(e.getValue().asText()));
        return payloads(c, id, hashes);
    }

    private static Map<String, JsonNode> payloads(Connection c, RunId id, Set<String> hashes) throws SQLException {
        Map<String, JsonNode> bodies = new HashMap<>();
        if (hashes.isEmpty()) {
            return bodies;
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT hash, body FROM payloads WHERE run_id = ? AND hash = ?")) {
            for (String hash : hashes) {
                ps.setString(1, id.value());
                ps.setString(2, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        bodies.put(rs.getString(1), Json.parse(rs.getString(2)));
                    }
                }
            }
        }
        return bodies;
    }

    /** One run joined with one of its checkpoints, as read. */
    private record Row(
            RunId id,
            WorkspaceId workspace,
            String workflowId,
            @Nullable UserId user,
            @Nullable String idempotencyKey,
            @Nullable RunId parent,
            @Nullable String parentKey,
            JsonNode input,
            long createdAt,
            long version,
            RunStatus status,
            int superstep,
            ObjectNode inline,
            ObjectNode refs,
            String frontier,
            String visits,
            String waits,
            String journal,
            @Nullable String failure,
            long updatedAt) {

        static Row read(ResultSet rs) throws SQLException {
            String user = rs.getString("user_id");
            String parent = rs.getString("parent_id");
            return new Row(
                    RunId.of(rs.getString("id")),
                    WorkspaceId.of(rs.getString("workspace")),
                    rs.getString("workflow_id"),
                    user == null ? null : UserId.of(user),
                    rs.getString("idempotency_key"),
                    parent == null ? null : RunId.of(parent),
                    rs.getString("parent_key"),
                    Json.parse(rs.getString("input_json")),
                    rs.getLong("created_epoch_nanos"),
                    rs.getLong("version"),
                    RunStatus.valueOf(rs.getString("status")),
                    rs.getInt("superstep"),
                    (ObjectNode) Json.parse(rs.getString("state_inline")),
                    (ObjectNode) Json.parse(rs.getString("state_refs")),
                    rs.getString("frontier"),
                    rs.getString("visits"),
                    rs.getString("waits"),
                    rs.getString("journal"),
                    rs.getString("failure"),
                    rs.getLong("updated_epoch_nanos"));
        }

        RunSnapshot toSnapshot(Map<String, JsonNode> payloads) {
            ObjectNode state = inline.deepCopy();
            refs.fields().forEachRemaining(e -> {
                JsonNode body = payloads.get(e.getValue().asText());
                if (body == null) {
                    throw new IllegalStateException("run " + id + " checkpoint " + version
                            + " refers to missing payload " + e.getValue().asText());
                }
                state.set(e.getKey(), body);
            });
            return new RunSnapshot(
                    id,
                    workflowId,
                    workspace,
                    user,
                    idempotencyKey,
                    parent,
                    parentKey,
                    status,
                    input,
                    State.fromJson(state),
                    SnapshotCodec.frontier(frontier),
                    SnapshotCodec.visits(visits),
                    SnapshotCodec.waits(waits),
                    SnapshotCodec.journal(journal),
                    superstep,
                    SnapshotCodec.failure(failure),
                    Sql.instant(createdAt),
                    Sql.instant(updatedAt),
                    version);
        }
    }
}
