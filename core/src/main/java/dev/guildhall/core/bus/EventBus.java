package dev.guildhall.core.bus;

/**
 * Where run events go after the outbox relay has read them from the store. Delivery is at least
 * once within a consumer group: each group gets every event, each event goes to one consumer of
 * the group, and an event whose handler threw, or whose consumer died before acknowledging it, is
 * delivered again. Handlers are made idempotent by event id (see {@link #subscribe}).
 *
 * <p>One consumer sees the events of a topic in publish order, except that an event delivered again
 * after a failure comes after the events published since. An event whose handler failed {@code
 * maxDeliveries} times (an implementation setting) moves to the topic {@link
 * BusNames#deadLetterTopic(String)} and is acknowledged. Each topic keeps a bounded number of recent
 * events; a group that falls further behind than that loses the oldest ones.
 *
 * <p>Topic, group and consumer names follow {@link BusNames#NAME}. Implementations are thread-safe.
 * {@link InMemoryEventBus} is the embedded default; the bus module has one on Redis Streams.
 */
public interface EventBus extends AutoCloseable {

    /**
     * Appends the event to its topic; returns once the bus holds it.
     *
     * @throws IllegalArgumentException when the topic is not a valid name
     * @throws EventBusUnavailableException when the bus's server cannot be reached; publish again
     * @throws IllegalStateException when the bus is closed
     */
    void publish(BusEvent event);

    /**
     * Starts delivering the topic's events to {@code handler} as member {@code consumer} of
     * {@code group}, from events published after the group was first created. Events whose id the
     * group already acknowledged are skipped, so a republished event is handled once. The group
     * exists when this returns, so events published afterwards reach it. The handler runs on a thread
     * of the subscription, one event at a time.
     *
     * @throws IllegalArgumentException when a name is not valid
     * @throws EventBusUnavailableException when the bus's server cannot be reached
     * @throws IllegalStateException when the bus is closed
     */
    Subscription subscribe(String topic, String group, String consumer, EventHandler handler);

    /** Closes every subscription and releases the bus's resources. Idempotent. */
    @Override
    void close();
}
