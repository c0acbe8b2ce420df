package dev.guildhall.core.bus;

/**
 * Where run events go after the outbox relay has read them from the store. Delivery is at least
 * once within a consumer group: each group gets every event, each event goes to one consumer of
 * the group, and an event whose handler threw, or whose consumer died before acknowledging it, is
 * delivered again. Handlers are made idempotent by event id (see {@link #subscribe}).
 * Implementations are thread-safe.
 */
public interface EventBus extends AutoCloseable {

    /** Appends the event to its topic; returns once the bus holds it. */
    void publish(BusEvent event);

    /**
     * Starts delivering the topic's events to {@code handler} as member {@code consumer} of
     * {@code group}, from events published after the group was first created. Events whose id the
     * group already acknowledged are skipped, so a republished event is handled once.
     */
    Subscription subscribe(String topic, String group, String consumer, EventHandler handler);

    @Override
    void close();
}
