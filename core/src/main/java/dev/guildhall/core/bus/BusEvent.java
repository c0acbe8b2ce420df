package dev.guildhall.core.bus;

import dev.guildhall.core.Checks;
import java.time.Instant;

/**
 * One event on the bus. The id is unique and stable: a relay that publishes the same outbox row
 * twice publishes the same id, which is how consumers drop the duplicate.
 *
 * @param topic the stream it goes to, such as {@code runs}
 * @param type what happened, such as {@code run.succeeded}
 * @param key what it is about (a run id, say); events with one key keep their publish order
 * @param payload the event as JSON text
 */
public record BusEvent(String id, String topic, String type, String key, String payload, Instant occurredAt) {
    public BusEvent {
        Checks.notBlank(id, "id");
        Checks.notBlank(topic, "topic");
        Checks.notBlank(type, "type");
        Checks.notBlank(key, "key");
        Checks.notNull(payload, "payload");
        Checks.notNull(occurredAt, "occurredAt");
    }
}
