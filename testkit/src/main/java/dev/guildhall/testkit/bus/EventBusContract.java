package dev.guildhall.testkit.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.guildhall.core.bus.BusEvent;
import dev.guildhall.core.bus.BusNames;
import dev.guildhall.core.bus.EventBus;
import dev.guildhall.core.bus.EventHandler;
import dev.guildhall.core.bus.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link EventBus} must have. An implementation's test extends this class and
 * overrides {@link #newBus()} and {@link #length(EventBus, String)}. Each test uses topics of its
 * own, so implementations backed by a shared server need no cleaning between tests.
 */
public abstract class EventBusContract {
    /** The topic length {@link #newBus()} must bound each topic to. */
    protected static final int MAX_LENGTH = 50;

    /**
     * How many more events than {@link #MAX_LENGTH} a topic may hold: Redis trims approximately
     * ({@code MAXLEN ~}), whole storage nodes of up to 100 entries at a time.
     */
    protected static final int LENGTH_SLACK = 100;

    /** The deliveries {@link #newBus()} must allow one event before it moves to the dead-letter topic. */
    protected static final int MAX_DELIVERIES = 3;

    /** Longest wait for one asynchronous outcome; the bus should redeliver well within it. */
    protected static final Duration WAIT = Duration.ofSeconds(15);

    private static final Instant OCCURRED_AT = Instant.parse("2026-03-01T09:00:00Z");

    private final List<Subscription> subscriptions = new ArrayList<>();
    private EventBus bus;
    private String topic;

    /**
     * A new bus that keeps about {@link #MAX_LENGTH} events per topic, dead-letters an event after
     * {@link #MAX_DELIVERIES} failed deliveries, and redelivers a failed or abandoned event within a
     * few seconds.
     */
    protected abstract EventBus newBus();

    /** How many events the bus holds for the topic now. */
    protected abstract long length(EventBus bus, String topic);

    @BeforeEach
    void createBus() {
        bus = newBus();
        topic = "t-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    }

    @AfterEach
    void closeBus() {
        subscriptions.forEach(Subscription::close);
        if (bus != null) {
            bus.close();
        }
    }

    @Test
    void every_group_gets_every_event() {
        Recorder audit = new Recorder();
        Recorder notify = new Recorder();
        subscribe(topic, "audit", "c1", audit);
        subscribe(topic, "notify", "c1", notify);

        List<BusEvent> events = events(20);
        events.forEach(bus::publish);

        await().atMost(WAIT).untilAsserted(() -> assertThat(audit.ids()).containsExactlyElementsOf(ids(events)));
        await().atMost(WAIT).untilAsserted(() -> assertThat(notify.ids()).containsExactlyElementsOf(ids(events)));
    }

    @Test
    void consumers_of_one_group_share_its_events() throws InterruptedException {
        // The first consumer to get an event holds it until the other has one too, so both take part
        // whatever batch sizes the implementation reads.
        CountDownLatch bothStarted = new CountDownLatch(2);
        Set<String> started = ConcurrentHashMap.newKeySet();
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        subscribe(topic, "workers", "w1", holdingFirst("w1", started, bothStarted, first));
        subscribe(topic, "workers", "w2", holdingFirst("w2", started, bothStarted, second));
        List<BusEvent> events = events(40);

        bus.publish(events.get(0));
        await().atMost(WAIT).until(() -> started.size() == 1);
        events.subList(1, events.size()).forEach(bus::publish);

        assertThat(bothStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        await().atMost(WAIT).until(() -> first.ids().size() + second.ids().size() >= events.size());
        assertThat(first.ids()).isNotEmpty().doesNotContainAnyElementsOf(second.ids());
        assertThat(second.ids()).isNotEmpty();
        List<String> all = new ArrayList<>(first.ids());
        all.addAll(second.ids());
        assertThat(all).containsExactlyInAnyOrderElementsOf(ids(events));
    }

    @Test
    void a_handler_that_throws_gets_the_event_again() {
        AtomicInteger attempts = new AtomicInteger();
        Recorder handled = new Recorder();
        subscribe(topic, "g", "c1", e -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("the first delivery fails on purpose");
            }
            handled.handle(e);
        });

        BusEvent event = event("e-1", "run-1");
        bus.publish(event);

        await().atMost(WAIT).untilAsserted(() -> assertThat(handled.ids()).containsExactly("e-1"));
        assertThat(attempts).hasValue(2);
    }

    @Test
    void a_handler_that_is_interrupted_keeps_its_subscription() {
        AtomicInteger attempts = new AtomicInteger();
        Recorder handled = new Recorder();
        subscribe(topic, "g", "c1", e -> {
            if (attempts.incrementAndGet() == 1) {
                Thread.currentThread().interrupt();
                throw new InterruptedException("the first delivery is interrupted on purpose");
            }
            handled.handle(e);
        });

        bus.publish(event("e-1", "run-1"));
        bus.publish(event("e-2", "run-1"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(handled.ids()).containsExactlyInAnyOrder("e-1", "e-2"));
    }

    @Test
    void a_republished_event_is_handled_once() {
        Recorder handled = new Recorder();
        subscribe(topic, "g", "c1", handled);
        BusEvent event = event("e-1", "run-1");
        bus.publish(event);
        await().atMost(WAIT).untilAsserted(() -> assertThat(handled.ids()).contains("e-1"));

        bus.publish(event);
        bus.publish(event("marker", "run-1"));

        // One consumer handles in publish order, so once the marker is in, the duplicate was seen.
        await().atMost(WAIT).untilAsserted(() -> assertThat(handled.ids()).contains("marker"));
        assertThat(handled.ids()).containsExactly("e-1", "marker");
    }

    @Test
    void one_consumer_gets_the_events_of_a_key_in_publish_order() {
        Recorder handled = new Recorder();
        subscribe(topic, "g", "c1", handled);
        List<BusEvent> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            events.add(event("e-" + i, i % 2 == 0 ? "run-a" : "run-b"));
        }

        events.forEach(bus::publish);

        await().atMost(WAIT).until(() -> handled.ids().size() >= events.size());
        for (String key : List.of("run-a", "run-b")) {
            assertThat(handled.events().stream().filter(e -> e.key().equals(key)))
                    .containsExactlyElementsOf(
                            events.stream().filter(e -> e.key().equals(key)).toList());
        }
    }

    @Test
    void a_topic_keeps_a_bounded_number_of_events() {
        int published = 10 * MAX_LENGTH;

        events(published).forEach(bus::publish);

        assertThat(length(bus, topic)).isBetween((long) MAX_LENGTH, (long) MAX_LENGTH + LENGTH_SLACK);
    }

    @Test
    void a_group_starts_with_the_events_published_after_it_was_created() {
        bus.publish(event("before", "run-1"));
        Recorder handled = new Recorder();
        subscribe(topic, "late", "c1", handled);

        bus.publish(event("after", "run-1"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(handled.ids()).contains("after"));
        assertThat(handled.ids()).containsExactly("after");
    }

    @Test
    void an_event_left_unacknowledged_by_a_closed_subscription_goes_to_another_consumer() {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Subscription dying = bus.subscribe(topic, "g", "dying", e -> {
            entered.countDown();
            never.await();
        });
        bus.publish(event("e-1", "run-1"));
        await().atMost(WAIT).until(() -> entered.getCount() == 0);

        dying.close();
        Recorder survivor = new Recorder();
        subscribe(topic, "g", "survivor", survivor);

        await().atMost(WAIT).untilAsserted(() -> assertThat(survivor.ids()).containsExactly("e-1"));
    }

    @Test
    void an_event_that_keeps_failing_moves_to_the_dead_letter_topic() {
        AtomicInteger attempts = new AtomicInteger();
        subscribe(topic, "g", "c1", e -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("poison on purpose");
        });
        Recorder deadLetters = new Recorder();
        subscribe(BusNames.deadLetterTopic(topic), "ops", "c1", deadLetters);

        bus.publish(event("poison", "run-1"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(deadLetters.ids()).containsExactly("poison"));
        assertThat(attempts).hasValue(MAX_DELIVERIES);
        BusEvent dead = deadLetters.events().get(0);
        assertThat(dead.topic()).isEqualTo(BusNames.deadLetterTopic(topic));
        assertThat(dead.payload()).isEqualTo(event("poison", "run-1").payload());
    }

    @Test
    void refuses_names_that_are_not_valid() {
        assertThatThrownBy(() -> bus.subscribe("bad topic", "g", "c1", new Recorder()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic must match");
        assertThatThrownBy(() -> bus.subscribe(topic, "g:1", "c1", new Recorder()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group must match");
        assertThatThrownBy(() -> bus.publish(new BusEvent("e-1", "a/b", "t", "k", "{}", OCCURRED_AT)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_closed_bus_refuses_to_publish() {
        bus.close();

        assertThatThrownBy(() -> bus.publish(event("e-1", "run-1"))).isInstanceOf(IllegalStateException.class);
    }

    /** The topic of the running test. */
    protected String topic() {
        return topic;
    }

    protected EventBus bus() {
        return bus;
    }

    /** Subscribes and closes the subscription after the test. */
    protected Subscription subscribe(String topic, String group, String consumer, EventHandler handler) {
        Subscription s = bus.subscribe(topic, group, consumer, handler);
        subscriptions.add(s);
        return s;
    }

    /** An event of the running test's topic with a payload derived from its id. */
    protected BusEvent event(String id, String key) {
        return new BusEvent(id, topic, "run.step", key, "{\"id\":\"" + id + "\"}", OCCURRED_AT);
    }

    protected List<BusEvent> events(int n) {
        return IntStream.range(0, n).mapToObj(i -> event("e-" + i, "run-1")).toList();
    }

    protected static List<String> ids(List<BusEvent> events) {
        return events.stream().map(BusEvent::id).toList();
    }

    private static EventHandler holdingFirst(
            String name, Set<String> started, CountDownLatch bothStarted, Recorder recorder) {
        Set<String> seen = new HashSet<>();
        return e -> {
            if (seen.add(name)) {
                started.add(name);
                bothStarted.countDown();
                bothStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            recorder.handle(e);
        };
    }

    /** A handler that records what it was given, in order. Thread-safe. */
    protected static final class Recorder implements EventHandler {
        private final List<BusEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void handle(BusEvent event) {
            events.add(event);
        }

        public List<BusEvent> events() {
            return List.copyOf(events);
        }

        public List<String> ids() {
            return EventBusContract.ids(events());
        }
    }
}
