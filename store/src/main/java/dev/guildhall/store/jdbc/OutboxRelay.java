package dev.guildhall.store.jdbc;

import dev.guildhall.core.Checks;
import dev.guildhall.core.bus.BusEvent;
import dev.guildhall.core.bus.EventBus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the outbox to an {@link EventBus}: reads a batch of rows oldest first, publishes each,
 * and deletes them in the same transaction that read them. A relay that dies after publishing but
 * before its commit leaves the rows, so they are published again: delivery is at least once, and
 * consumers drop the repeat by event id. On PostgreSQL one relay at a time holds the batch (an
 * advisory transaction lock), so events of one run are published in order by whichever node has it.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    /** The advisory lock key: any fixed number that nothing else in the database uses. */
    private static final long LOCK_KEY = 0x6775696c64L; // "guild"

    private final DataSource dataSource;
    private final EventBus bus;
    private final Duration idlePoll;
    private final int batchSize;
    private volatile boolean running;
    private @Nullable Thread thread;

    public OutboxRelay(DataSource dataSource, EventBus bus, Duration idlePoll, int batchSize) {
        this.dataSource = Checks.notNull(dataSource, "dataSource");
        this.bus = Checks.notNull(bus, "bus");
        this.idlePoll = Checks.notNull(idlePoll, "idlePoll");
        this.batchSize = Checks.positive(batchSize, "batchSize");
    }

    /** Publishes one batch; returns how many events it published (0 when another relay holds the lock). */
    public int relayOnce() {
        return Sql.transaction(dataSource, "relay outbox", c -> {
            if (Sql.isPostgres(c)) {
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
                    ps.setLong(1, LOCK_KEY);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next() || !rs.getBoolean(1)) {
                            return 0;
                        }
                    }
                }
            }
            List<Long> ids = new ArrayList<>();
            List<BusEvent> events = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, event_id, topic, event_type, event_key, payload,"
                    + " occurred_epoch_nanos FROM outbox ORDER BY id LIMIT ? FOR UPDATE")) {
                ps.setInt(1, batchSize);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        events.add(new BusEvent(
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                Sql.instant(rs.getLong(7))));
                    }
                }
            }
            for (BusEvent event : events) {
                bus.publish(event); // A failure here rolls back: every event of the batch is published again.
            }
            if (!ids.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM outbox WHERE id = ?")) {
                    for (long id : ids) {
                        ps.setLong(1, id);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            return events.size();
        });
    }

    /** Relays in the background until closed. */
    public synchronized OutboxRelay start() {
        if (running) {
            return this;
        }
        running = true;
        Thread t = new Thread(this::loop, "guildhall-outbox-relay");
        t.setDaemon(true);
        t.start();
        thread = t;
        return this;
    }

    private void loop() {
        while (running) {
            int published;
            try {
                published = relayOnce();
            } catch (RuntimeException e) {
                LOG.warn("Outbox relay failed; retrying: {}", e.toString());
                published = 0;
            }
            if (published < batchSize) {
                try {
                    Thread.sleep(idlePoll.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
