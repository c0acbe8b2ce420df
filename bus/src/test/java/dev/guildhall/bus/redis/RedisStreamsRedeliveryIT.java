package dev.guildhall.bus.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.guildhall.core.bus.BusEvent;
import dev.guildhall.core.bus.BusNames;
import dev.guildhall.core.bus.Subscription;
import dev.guildhall.core.time.MutableClock;
import io.lettuce.core.Consumer;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only Redis shows: entries a consumer read and never acknowledged (it died) are claimed by a
 * live one (issue #3, "Redis redelivery of an unacknowledged event"), poison entries reach the
 * dead-letter stream with their history, streams stay bounded, and the keys look as documented.
 */
class RedisStreamsRedeliveryIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Duration MIN_IDLE = Duration.ofMillis(500);
    private static final MutableClock CLOCK = MutableClock.at("2026-03-01T10:00:00Z");

    private static RedisTestServer server;
    private RedisStreamsEventBus bus;
    private String topic;

    @AfterAll
    static void deleteKeys() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void openBus() {
        // Checked per test, so that without Redis each test is reported skipped with the reason.
        if (server == null) {
            server = RedisTestServer.create(RedisStreamsRedeliveryIT.class);
        }
        bus = RedisStreamsEventBus.connect(
                server.settings().claimMinIdle(MIN_IDLE).maxDeliveries(2).build(), CLOCK);
        topic = "t-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    }

    @AfterEach
    void closeBus() {
        if (bus != null) {
            bus.close();
        }
    }

    @Test
    void redelivers_an_event_that_a_dead_consumer_read_but_never_acknowledged() {
        RedisCommands<String, String> redis = server.redis();
        String stream = bus.streamKey(topic);
        redis.xgroupCreate(StreamOffset.latest(stream), "workers", XGroupCreateArgs.Builder.mkstream());
        bus.publish(event("e-1"));

        // A consumer reads the entry and dies before XACK: here, a raw client that just never acks.
        List<StreamMessage<String, String>> taken = redis.xreadgroup(
                Consumer.from("workers", "crashed"), XReadArgs.Builder.count(1), StreamOffset.lastConsumed(stream));
        long readAt = System.nanoTime();
        assertThat(taken).hasSize(1);
        assertThat(redis.xpending(stream, "workers").getConsumerMessageCount()).containsEntry("crashed", 1L);

        List<BusEvent> handled = new CopyOnWriteArrayList<>();
        List<Long> handledAfterNanos = new CopyOnWriteArrayList<>();
        bus.subscribe(topic, "workers", "survivor", e -> {
            handledAfterNanos.add(System.nanoTime() - readAt);
            handled.add(e);
        });

        await().atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(handled).extracting(BusEvent::id).containsExactly("e-1"));
        assertThat(handled.get(0)).isEqualTo(event("e-1"));
        assertThat(Duration.ofNanos(handledAfterNanos.get(0))).isGreaterThanOrEqualTo(MIN_IDLE.minusMillis(50));
        await().atMost(WAIT).until(() -> redis.xpending(stream, "workers").getCount() == 0);
        assertThat(redis.exists(bus.doneKey(topic, "workers", "e-1"))).isEqualTo(1);
    }

    @Test
    void redelivers_the_event_of_a_subscription_closed_in_the_middle_of_its_handler() {
        AtomicInteger entered = new AtomicInteger();
        CountDownLatch never = new CountDownLatch(1);
        Subscription dying = bus.subscribe(topic, "workers", "dying", e -> {
            entered.incrementAndGet();
            never.await(); // the consumer hangs until close() interrupts it
        });
        bus.publish(event("e-1"));
        await().atMost(WAIT).until(() -> entered.get() == 1);
        dying.close();
        assertThat(server.redis().xpending(bus.streamKey(topic), "workers").getConsumerMessageCount())
                .containsEntry("dying", 1L);

        List<String> handled = new CopyOnWriteArrayList<>();
        bus.subscribe(topic, "workers", "survivor", e -> handled.add(e.id()));

        await().atMost(WAIT).untilAsserted(() -> assertThat(handled).containsExactly("e-1"));
    }

    @Test
    void moves_a_poison_event_to_the_dead_letter_stream_with_its_history() {
        AtomicInteger attempts = new AtomicInteger();
        bus.subscribe(topic, "workers", "c1", e -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("cannot handle " + e.id());
        });
        bus.publish(event("poison"));
        String deadLetters = bus.streamKey(BusNames.deadLetterTopic(topic));

        await().atMost(WAIT).until(() -> server.redis().xlen(deadLetters) == 1);

        Map<String, String> fields =
                server.redis().xrange(deadLetters, Range.unbounded()).get(0).getBody();
        assertThat(fields)
                .containsEntry("id", "poison")
                .containsEntry("payload", event("poison").payload())
                .containsEntry("deadLetter.group", "workers")
                .containsEntry("deadLetter.consumer", "c1")
                .containsEntry("deadLetter.deliveries", "2")
                .containsEntry("deadLetter.at", CLOCK.instant().toString())
                .containsKey("deadLetter.sourceEntry");
        assertThat(fields.get("deadLetter.reason")).contains("cannot handle poison");
        assertThat(attempts).hasValue(2);
        assertThat(server.redis().xpending(bus.streamKey(topic), "workers").getCount())
                .isZero();
    }

    @Test
    void dead_letters_an_entry_whose_consumers_kept_dying_without_running_the_handler_again() {
        RedisCommands<String, String> redis = server.redis();
        String stream = bus.streamKey(topic);
        redis.xgroupCreate(StreamOffset.latest(stream), "workers", XGroupCreateArgs.Builder.mkstream());
        bus.publish(event("crasher"));
        // Two consumers take the entry in turn and die: its delivery count is now 2, the maximum.
        String id = redis.xreadgroup(
                        Consumer.from("workers", "first"),
                        XReadArgs.Builder.count(1),
                        StreamOffset.lastConsumed(stream))
                .get(0)
                .getId();
        redis.xclaim(stream, Consumer.from("workers", "second"), 0, id);

        AtomicInteger attempts = new AtomicInteger();
        bus.subscribe(topic, "workers", "third", e -> attempts.incrementAndGet());

        String deadLetters = bus.streamKey(BusNames.deadLetterTopic(topic));
        await().atMost(WAIT).until(() -> redis.xlen(deadLetters) == 1);
        Map<String, String> fields =
                redis.xrange(deadLetters, Range.unbounded()).get(0).getBody();
        assertThat(fields).containsEntry("deadLetter.deliveries", "3").containsEntry("deadLetter.sourceEntry", id);
        assertThat(fields.get("deadLetter.reason")).startsWith("claimed after 2 deliveries");
        assertThat(attempts).hasValue(0);
    }

    @Test
    void moves_an_entry_that_is_not_an_event_to_the_dead_letter_stream() {
        bus.subscribe(topic, "workers", "c1", e -> {});

        server.redis().xadd(bus.streamKey(topic), Map.of("something", "else"));

        String deadLetters = bus.streamKey(BusNames.deadLetterTopic(topic));
        await().atMost(WAIT).until(() -> server.redis().xlen(deadLetters) == 1);
        assertThat(server.redis().xrange(deadLetters, Range.unbounded()).get(0).getBody())
                .containsEntry("something", "else")
                .containsEntry("deadLetter.reason", "not an event written by Guildhall (missing or invalid fields)");
    }

    @Test
    void keeps_a_stream_near_its_maximum_length() {
        try (RedisStreamsEventBus small =
                RedisStreamsEventBus.connect(server.settings().maxLength(100).build(), CLOCK)) {
            for (int i = 0; i < 2_000; i++) {
                small.publish(event("e-" + i));
            }

            assertThat(server.redis().type(server.keyPrefix() + topic)).isEqualTo("stream");
            assertThat(server.redis().xlen(small.streamKey(topic))).isBetween(100L, 200L);
        }
    }

    @Test
    void remembers_a_handled_event_for_the_dedupe_ttl() {
        try (RedisStreamsEventBus shortMemory = RedisStreamsEventBus.connect(
                server.settings().dedupeTtl(Duration.ofMinutes(10)).build(), CLOCK)) {
            List<String> handled = new CopyOnWriteArrayList<>();
            shortMemory.subscribe(topic, "audit", "c1", e -> handled.add(e.id()));

            shortMemory.publish(event("e-1"));

            String done = server.keyPrefix() + topic + ":audit:done:e-1";
            assertThat(shortMemory.doneKey(topic, "audit", "e-1")).isEqualTo(done);
            await().atMost(WAIT).until(() -> server.redis().exists(done) == 1);
            assertThat(server.redis().pttl(done))
                    .isBetween(1L, Duration.ofMinutes(10).toMillis());
            assertThat(handled).containsExactly("e-1");
        }
    }

    @Test
    void creates_its_group_again_when_the_stream_is_deleted() {
        List<String> handled = new CopyOnWriteArrayList<>();
        bus.subscribe(topic, "workers", "c1", e -> handled.add(e.id()));
        bus.publish(event("e-1"));
        await().atMost(WAIT).until(() -> handled.size() == 1);

        server.redis().del(bus.streamKey(topic));
        bus.publish(event("e-2"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(handled).containsExactly("e-1", "e-2"));
    }

    @Test
    void closing_an_idle_subscription_removes_its_consumer_from_the_group() {
        Subscription s = bus.subscribe(topic, "workers", "c1", e -> {});
        bus.publish(event("e-1"));
        await().atMost(WAIT).until(() -> server.redis().exists(bus.doneKey(topic, "workers", "e-1")) == 1);
        await().atMost(WAIT)
                .until(() ->
                        server.redis().xpending(bus.streamKey(topic), "workers").getCount() == 0);

        s.close();

        assertThat(server.redis().xinfoConsumers(bus.streamKey(topic), "workers"))
                .isEmpty();
    }

    private BusEvent event(String id) {
        return new BusEvent(
                id, topic, "run.succeeded", "run-1", "{\"run\":\"run-1\"}", Instant.parse("2026-03-01T09:00:00Z"));
    }
}
