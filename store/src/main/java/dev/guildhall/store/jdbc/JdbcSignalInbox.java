package dev.guildhall.store.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.Checks;
import dev.guildhall.core.RunId;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.SignalInbox;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Signals in the {@code signals} table, kept until a step consumes them. With a job queue in the
 * same database, delivering a signal also makes its run due in the same transaction, so a signal
 * can never be stored without the wake-up that delivers it, whatever crashes next.
 */
public final class JdbcSignalInbox implements SignalInbox {
    private final DataSource dataSource;
    private final Clock clock;
    private final boolean wakeRuns;

    /**
     * @param wakeRuns whether delivery also schedules the run in the {@code jobs} table (durable
     *     workers); false when an engine drives runs on its own threads
     */
    public JdbcSignalInbox(DataSource dataSource, Clock clock, boolean wakeRuns) {
        this.dataSource = Checks.notNull(dataSource, "dataSource");
        this.clock = Checks.notNull(clock, "clock");
        this.wakeRuns = wakeRuns;
    }

    @Override
    public Signal deliver(RunId run, String name, JsonNode payload) {
        Checks.notNull(run, "run");
        Checks.notBlank(name, "name");
        Checks.notNull(payload, "payload");
        Instant now = clock.instant();
        return Sql.transaction(dataSource, "deliver signal " + name + " to run " + run, c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO signals (run_id, name, payload, delivered_epoch_nanos) VALUES (?, ?, ?, ?)",
                    new String[] {"id"})) {
                ps.setString(1, run.value());
                ps.setString(2, name);
                ps.setString(3, Json.write(payload));
                ps.setLong(4, Sql.nanos(now));
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            if (wakeRuns) {
                JdbcJobQueue.scheduleIn(c, run, now, now);
            }
            return new Signal(id, name, payload);
        });
    }

    @Override
    public List<Signal> pending(RunId run, String name) {
        return Sql.autoCommit(dataSource, "pending signals of run " + run, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT id, payload FROM signals WHERE run_id = ? AND name = ? ORDER BY id")) {
                ps.setString(1, run.value());
                ps.setString(2, name);
                List<Signal> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Signal(rs.getLong(1), name, Json.parse(rs.getString(2))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void consume(RunId run, long signalId) {
        Sql.autoCommit(dataSource, "consume signal " + signalId, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM signals WHERE id = ? AND run_id = ?")) {
                ps.setLong(1, signalId);
                ps.setString(2, run.value());
                return ps.executeUpdate();
            }
        });
    }
}
