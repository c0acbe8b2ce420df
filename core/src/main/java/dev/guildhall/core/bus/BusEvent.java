package dev.guildhall.core.bus;

import dev.guildhall.core.Checks;
import java.time.Instant;

/**
 * One event on the bus. The id is unique and stable: a relay that publishes the same outbox row
 * twice publishes the same id, which is how consumers drop the duplicate.
 *
 * @param id unique and stable across republishing; groups skip ids they already handled
 * @param topic the stream it goes to, such as {@code runs}; a {@link BusNames#NAME}
 * @param type what happened, such as {@code run.succeeded}
 * @param key what it is about (a run id, say). One consumer gets a topic's events in publish order,
 *     so with one consumer per group the events of a key stay in order; the consumers of a group
 *     share events without regard to keys, and a redelivered event comes late (see {@link EventBus})
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
