package dev.guildhall.bus.redis;

import dev.guildhall.core.Checks;
import dev.guildhall.core.bus.BusEvent;
import dev.guildhall.core.bus.BusNames;
import dev.guildhall.core.bus.EventBus;
import dev.guildhall.core.bus.EventHandler;
import dev.guildhall.core.bus.Subscription;
import dev.guildhall.core.retry.RetryPolicy;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Consumer;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventBus} on Redis Streams, for several Guildhall processes sharing one Redis.
 *
 * <p><b>Keys.</b> Topic {@code runs} is the stream {@code <prefix>runs} (prefix {@code
 * guildhall:events:} by default); its dead letters are the stream of topic {@code
 * runs.dead-letter}; group {@code audit} remembers handled event ids in {@code
 * <prefix>runs:audit:done:<event id>}. Names cannot contain {@code :} (see {@link BusNames}), so
 * these never collide.
 *
 * <p><b>Publish</b> is one {@code XADD MAXLEN ~ maxLength} with the event's fields.
 *
 * <p><b>Subscribe</b> creates the group at the stream's end ({@code XGROUP CREATE ... $ MKSTREAM},
 * an existing group is kept) and starts a thread with its own connection, since a blocking read
 * holds its connection. The thread loops: every {@code claimInterval} it claims entries of the group
 * idle for {@code claimMinIdle} ({@code XAUTOCLAIM}, which also counts a delivery), whoever's they
 * were; otherwise it reads new entries ({@code XREADGROUP ... BLOCK}). For each entry: if the
 * group's done key exists the entry is a republished duplicate and is only acknowledged; otherwise
 * the handler runs, then the done key is set (with a TTL of {@code dedupeTtl}) and the entry is
 * acknowledged ({@code XACK}). Setting the key before acknowledging means a crash between the two
 * ends in a skipped duplicate, not a second handling.
 *
 * <p><b>Failures.</b> A handler that throws leaves its entry pending; it is claimed again after
 * {@code claimMinIdle} (so the redelivery delay is constant, and bounded). An entry whose delivery
 * count reached {@code maxDeliveries} when its handler failed, or exceeds it when claimed (its
 * consumer kept dying), is copied to the dead-letter stream with the group, consumer, delivery count,
 * original entry id and reason, and acknowledged. Redis being unreachable makes {@link #publish} and
 * {@link #subscribe} throw {@link dev.guildhall.core.bus.EventBusUnavailableException}; a running
 * subscription logs, backs off (capped at 5 s) and carries on when Redis is back.
 */
public final class RedisStreamsEventBus implements EventBus {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamsEventBus.class);

    static final String F_ID = "id";
    static final String F_TYPE = "type";
    static final String F_KEY = "key";
    static final String F_PAYLOAD = "payload";
    static final String F_OCCURRED_AT = "occurredAt";
    static final String F_GROUP = "deadLetter.group";
    static final String F_CONSUMER = "deadLetter.consumer";
    static final String F_DELIVERIES = "deadLetter.deliveries";
    static final String F_SOURCE_ENTRY = "deadLetter.sourceEntry";
    static final String F_REASON = "deadLetter.reason";
    static final String F_AT = "deadLetter.at";

    /** Backoff of a subscription whose Redis commands fail, so a Redis outage is not a busy loop. */
    private static final RetryPolicy OUTAGE_BACKOFF = RetryPolicy.builder()
            .initialInterval(Duration.ofMillis(100))
            .maximumInterval(Duration.ofSeconds(5))
            .build();

    private final RedisBusSettings settings;
    private final Clock clock;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> commands;
    private final Set<RedisSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private RedisStreamsEventBus(
            RedisBusSettings settings,
            Clock clock,
            RedisClient client,
            StatefulRedisConnection<String, String> connection) {
        this.settings = settings;
        this.clock = clock;
        this.client = client;
        this.connection = connection;
        this.commands = connection.sync();
    }

    /**
     * Connects to Redis.
     *
     * @throws dev.guildhall.core.bus.EventBusUnavailableException when Redis cannot be reached
     */
    public static RedisStreamsEventBus connect(RedisBusSettings settings, Clock clock) {
        Checks.notNull(settings, "settings");
        Checks.notNull(clock, "clock");
        RedisURI uri;
        try {
            uri = RedisURI.create(settings.uri());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("uri is not a valid Redis URI, was " + settings.redactedUri(), e);
        }
        uri.setTimeout(settings.commandTimeout());
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                // Fail at once while disconnected: the caller gets a retryable exception instead of a
                // command queued until it times out.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(settings.commandTimeout())
                        .build())
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .build());
        try {
            return new RedisStreamsEventBus(settings, clock, client, client.connect());
        } catch (RedisException e) {
            shutdown(client);
            throw RedisErrors.map("connect", settings.redactedUri(), e);
        }
    }

    /** The settings this bus runs with. */
    public RedisBusSettings settings() {
        return settings;
    }

    /** The stream that holds a topic's events. */
    public String streamKey(String topic) {
        return settings.keyPrefix() + BusNames.check(topic, "topic");
    }

    /** The key that says {@code group} handled event {@code eventId}, kept for {@code dedupeTtl}. */
    public String doneKey(String topic, String group, String eventId) {
        return streamKey(topic) + ":" + BusNames.check(group, "group") + ":done:" + eventId;
    }

    @Override
    public void publish(BusEvent event) {
        Checks.notNull(event, "event");
        String key = streamKey(event.topic());
        checkOpen();
        try {
            commands.xadd(key, trimmed(), fields(event));
        } catch (RedisException e) {
            throw RedisErrors.map("publish to " + event.topic(), settings.redactedUri(), e);
        }
    }

    @Override
    public Subscription subscribe(String topic, String group, String consumer, EventHandler handler) {
        BusNames.check(topic, "topic");
        BusNames.check(group, "group");
        BusNames.check(consumer, "consumer");
        Checks.notNull(handler, "handler");
        checkOpen();
        StatefulRedisConnection<String, String> own;
        try {
            own = client.connect();
        } catch (RedisException e) {
            throw RedisErrors.map("subscribe to " + topic, settings.redactedUri(), e);
        }
        RedisSubscription s = new RedisSubscription(topic, group, consumer, handler, own);
        try {
            s.createGroup(StreamOffset.latest(streamKey(topic)));
        } catch (RedisException e) {
            own.close();
            throw RedisErrors.map("subscribe to " + topic, settings.redactedUri(), e);
        }
        subscriptions.add(s);
        s.thread.start();
        return s;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<RedisSubscription> open = List.copyOf(subscriptions);
        // Stop every loop first, so their blocking reads run out together rather than one by one.
        open.forEach(RedisSubscription::stop);
        open.forEach(RedisSubscription::close);
        connection.close();
        shutdown(client);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("RedisStreamsEventBus is closed");
        }
    }

    private XAddArgs trimmed() {
        return XAddArgs.Builder.maxlen(settings.maxLength()).approximateTrimming();
    }

    private static void shutdown(RedisClient client) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    static Map<String, String> fields(BusEvent event) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(F_ID, event.id());
        fields.put(F_TYPE, event.type());
        fields.put(F_KEY, event.key());
        fields.put(F_OCCURRED_AT, event.occurredAt().toString());
        fields.put(F_PAYLOAD, event.payload());
        return fields;
    }

    /** The event an entry holds, or null when the entry is not one this bus wrote. */
    static @Nullable BusEvent event(String topic, Map<String, String> fields) {
        try {
            return new BusEvent(
                    fields.get(F_ID),
                    topic,
                    fields.get(F_TYPE),
                    fields.get(F_KEY),
                    fields.get(F_PAYLOAD),
                    Instant.parse(fields.getOrDefault(F_OCCURRED_AT, "")));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return null;
        }
    }

    private final class RedisSubscription implements Subscription, Runnable {
        final String topic;
        final String group;
        final String consumerName;
        final String stream;
        final Consumer<String> consumer;
        final EventHandler handler;
        final StatefulRedisConnection<String, String> connection;
        final RedisCommands<String, String> redis;
        final RedisAsyncCommands<String, String> async;
        final Thread thread;
        final CountDownLatch stopping = new CountDownLatch(1);
        final Random random = new Random();
        volatile boolean running = true;
        volatile boolean inHandler;
        String claimCursor = "0-0";
        long nextClaimNanos = System.nanoTime();

        RedisSubscription(
                String topic,
                String group,
                String consumerName,
                EventHandler handler,
                StatefulRedisConnection<String, String> connection) {
            this.topic = topic;
            this.group = group;
            this.consumerName = consumerName;
            this.stream = streamKey(topic);
            this.consumer = Consumer.from(group, consumerName);
            this.handler = handler;
            this.connection = connection;
            this.redis = connection.sync();
            this.async = connection.async();
            this.thread = new Thread(this, "guildhall-bus-redis-" + topic + "-" + group + "-" + consumerName);
            this.thread.setDaemon(true);
        }

        void createGroup(StreamOffset<String> from) {
            try {
                redis.xgroupCreate(from, group, XGroupCreateArgs.Builder.mkstream());
            } catch (RedisException e) {
                if (!RedisErrors.isBusyGroup(e)) {
                    throw e;
                }
            }
        }

        @Override
        public void run() {
            int failures = 0;
            while (running) {
                try {
                    if (System.nanoTime() - nextClaimNanos >= 0) {
                        claimStale();
                        nextClaimNanos =
                                System.nanoTime() + settings.claimInterval().toNanos();
                    }
                    if (!running) {
                        break;
                    }
                    long blockMillis = Math.max(
                            1,
                            Math.min(
                                    settings.blockTimeout().toMillis(),
                                    TimeUnit.NANOSECONDS.toMillis(nextClaimNanos - System.nanoTime())));
                    List<StreamMessage<String, String>> read = redis.xreadgroup(
                            consumer,
                            XReadArgs.Builder.block(blockMillis).count(settings.batchSize()),
                            StreamOffset.lastConsumed(stream));
                    for (StreamMessage<String, String> m : read) {
                        if (!running) {
                            break;
                        }
                        process(m, 1);
                    }
                    failures = 0;
                } catch (RuntimeException e) {
                    // Redis failures mostly; anything else must not end the loop and strand the group.
                    if (!running) {
                        break;
                    }
                    failures++;
                    recover(e, failures);
                }
            }
        }

        /** After a failed command: recreates a deleted group, or waits before trying again. */
        private void recover(RuntimeException e, int failures) {
            if (RedisErrors.isUnblocked(e)) {
                // The stream was deleted while we waited on it; the next read finds the group gone.
                return;
            }
            if (RedisErrors.isNoGroup(e)) {
                // The stream or the group was deleted under us; start again from what the stream holds.
                LOG.warn(
                        "Subscription(topic={}, group={}, consumer={}) lost its group, creating it again: {}",
                        topic,
                        group,
                        consumerName,
                        e.getMessage());
                try {
                    createGroup(StreamOffset.from(stream, "0-0"));
                    return;
                } catch (RuntimeException again) {
                    e = again;
                }
            }
            Duration delay = OUTAGE_BACKOFF.delayBefore(Math.min(failures + 1, 20), random);
            LOG.warn(
                    "Subscription(topic={}, group={}, consumer={}) failed {} time(s), again in {}: {}",
                    topic,
                    group,
                    consumerName,
                    failures,
                    delay,
                    e.toString());
            try {
                stopping.await(delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }

        /** Claims entries of the group left idle too long, by a dead consumer or a failed handler. */
        private void claimStale() {
            ClaimedMessages<String, String> claimed = redis.xautoclaim(
                    stream,
                    XAutoClaimArgs.Builder.xautoclaim(consumer, settings.claimMinIdle(), claimCursor)
                            .count(settings.batchSize()));
            claimCursor = claimed.getId() == null ? "0-0" : claimed.getId();
            List<StreamMessage<String, String>> messages = claimed.getMessages();
            if (messages.isEmpty()) {
                return;
            }
            Map<String, Long> deliveries = deliveries(messages);
            for (StreamMessage<String, String> m : messages) {
                if (!running) {
                    return;
                }
                long count = deliveries.getOrDefault(m.getId(), 2L);
                if (count > settings.maxDeliveries()) {
                    deadLetter(m, count, "claimed after " + (count - 1) + " deliveries without an acknowledgement");
                } else {
                    process(m, count);
                }
            }
        }

        /** The delivery counts of entries this consumer just claimed, from {@code XPENDING}. */
        private Map<String, Long> deliveries(List<StreamMessage<String, String>> messages) {
            String first = messages.get(0).getId();
            String last = messages.get(messages.size() - 1).getId();
            // Other entries of this consumer may lie in the range, so ask for a generous page.
            List<PendingMessage> pending = redis.xpending(
                    stream, consumer, Range.create(first, last), Limit.from(Math.max(100L, 10L * messages.size())));
            Map<String, Long> counts = new HashMap<>();
            for (PendingMessage p : pending) {
                counts.put(p.getId(), p.getRedeliveryCount());
            }
            return counts;
        }

        private void process(StreamMessage<String, String> m, long deliveries) {
            Map<String, String> body = m.getBody();
            if (body == null || body.isEmpty()) {
                // The entry was trimmed away while pending; nothing is left to deliver.
                redis.xack(stream, group, m.getId());
                return;
            }
            BusEvent event = event(topic, body);
            if (event == null) {
                deadLetter(m, deliveries, "not an event written by Guildhall (missing or invalid fields)");
                return;
            }
            String done = doneKey(topic, group, event.id());
            if (redis.exists(done) > 0) {
                redis.xack(stream, group, m.getId());
                return;
            }
            try {
                inHandler = true;
                handler.handle(event);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Exception | Error e) {
                // Anything a handler throws, assertion errors in tests included, means "not handled".
                failed(m, event, deliveries, e);
                return;
            } finally {
                inHandler = false;
                // An interrupt is only ever close() stopping the handler, and the loop sees `running`;
                // left set, it would fail this thread's next Redis command (the acknowledgement too).
                Thread.interrupted();
            }
            acknowledgeHandled(done, m.getId());
        }

        /**
         * Sets the done key, then acknowledges, in one round trip: both commands go out together on
         * this subscription's connection, which runs them in order.
         */
        private void acknowledgeHandled(String doneKey, String entryId) {
            RedisFuture<String> set = async.set(doneKey, "1", SetArgs.Builder.px(settings.dedupeTtl()));
            RedisFuture<Long> ack = async.xack(stream, group, entryId);
            if (!LettuceFutures.awaitAll(settings.commandTimeout(), set, ack)) {
                throw new RedisCommandTimeoutException("SET and XACK of entry " + entryId + " timed out");
            }
            for (RedisFuture<?> f : List.of(set, ack)) {
                if (f.getError() != null) {
                    throw new RedisException(f.getError());
                }
            }
        }

        private void failed(StreamMessage<String, String> m, BusEvent event, long deliveries, Throwable error) {
            if (deliveries >= settings.maxDeliveries()) {
                if (running) {
                    deadLetter(m, deliveries, error.toString());
                }
                return;
            }
            LOG.warn(
                    "Event(id={}, topic={}, group={}) failed delivery {}, again after {}: {}",
                    event.id(),
                    topic,
                    group,
                    deliveries,
                    settings.claimMinIdle(),
                    error.toString());
        }

        private void deadLetter(StreamMessage<String, String> m, long deliveries, String reason) {
            Map<String, String> fields = new LinkedHashMap<>(m.getBody() == null ? Map.of() : m.getBody());
            fields.put(F_GROUP, group);
            fields.put(F_CONSUMER, consumerName);
            fields.put(F_DELIVERIES, Long.toString(deliveries));
            fields.put(F_SOURCE_ENTRY, m.getId());
            fields.put(F_REASON, reason);
            fields.put(F_AT, clock.instant().toString());
            String deadLetterTopic = BusNames.deadLetterTopic(topic);
            redis.xadd(streamKey(deadLetterTopic), trimmed(), fields);
            redis.xack(stream, group, m.getId());
            LOG.warn(
                    "Event(id={}, topic={}, group={}) moved to {} after {} deliveries: {}",
                    fields.get(F_ID),
                    topic,
                    group,
                    deadLetterTopic,
                    deliveries,
                    reason);
        }

        void stop() {
            running = false;
            stopping.countDown();
        }

        @Override
        public void close() {
            stop();
            if (Thread.currentThread() != thread && thread.isAlive()) {
                if (inHandler) {
                    thread.interrupt();
                }
                try {
                    // A blocking read ends within the block timeout; a handler gets the close timeout.
                    thread.join(Math.max(
                            1,
                            settings.blockTimeout()
                                    .plus(settings.closeTimeout())
                                    .toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (thread.isAlive()) {
                    LOG.warn(
                            "Subscription(topic={}, group={}, consumer={}) still running after {}; its entries go back to the group after {}",
                            topic,
                            group,
                            consumerName,
                            settings.closeTimeout(),
                            settings.claimMinIdle());
                }
            }
            if (subscriptions.remove(this)) {
                forgetConsumerIfIdle();
                connection.close();
            }
        }

        /** Removes this consumer from the group when it holds no entries, so names do not pile up. */
        private void forgetConsumerIfIdle() {
            if (thread.isAlive() || !connection.isOpen()) {
                return;
            }
            try {
                if (redis.xpending(stream, consumer, Range.unbounded(), Limit.from(1))
                        .isEmpty()) {
                    redis.xgroupDelconsumer(stream, consumer);
                }
            } catch (RedisException e) {
                LOG.debug(
                        "Subscription(topic={}, group={}, consumer={}) could not remove its consumer: {}",
                        topic,
                        group,
                        consumerName,
                        e.toString());
            }
        }
    }
}
