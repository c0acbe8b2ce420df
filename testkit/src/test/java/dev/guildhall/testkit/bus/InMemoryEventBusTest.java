package dev.guildhall.testkit.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.guildhall.core.bus.EventBus;
import dev.guildhall.core.bus.InMemoryEventBus;
import dev.guildhall.core.time.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InMemoryEventBusTest extends EventBusContract {
    @Override
    protected EventBus newBus() {
        return InMemoryEventBus.builder()
                .maxLength(MAX_LENGTH)
                .maxDeliveries(MAX_DELIVERIES)
                .build();
    }

    @Override
    protected long length(EventBus bus, String topic) {
        return ((InMemoryEventBus) bus).length(topic);
    }

    @Test
    void trims_each_topic_to_exactly_its_maximum_length() {
        try (InMemoryEventBus bus = InMemoryEventBus.builder().maxLength(7).build()) {
            for (int i = 0; i < 100; i++) {
                bus.publish(event("e-" + i, "run-1"));
            }

            assertThat(bus.length(topic())).isEqualTo(7);
        }
    }

    @Test
    void a_group_that_falls_behind_the_maximum_length_loses_the_oldest_events() {
        try (InMemoryEventBus bus = InMemoryEventBus.builder().maxLength(10).build()) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Recorder handled = new Recorder();
            bus.subscribe(topic(), "slow", "c1", e -> {
                entered.countDown();
                release.await();
                handled.handle(e);
            });
            bus.publish(event("e-0", "run-1"));
            await().atMost(WAIT).until(() -> entered.getCount() == 0);

            for (int i = 1; i < 5_000; i++) {
                bus.publish(event("e-" + i, "run-1"));
            }
            release.countDown();

            List<String> expected = new ArrayList<>(List.of("e-0"));
            IntStream.range(4_990, 5_000).forEach(i -> expected.add("e-" + i));
            await().atMost(WAIT).until(() -> handled.ids().size() >= expected.size());
            assertThat(handled.ids()).containsExactlyElementsOf(expected);
            assertThat(bus.length(topic())).isEqualTo(10);
        }
    }

    @Test
    void redelivers_a_failed_event_when_the_clock_passes_its_backoff() {
        MutableClock clock = MutableClock.start();
        try (InMemoryEventBus bus = InMemoryEventBus.builder()
                .clock(clock)
                .pollInterval(Duration.ofMillis(5))
                .build()) {
            AtomicInteger attempts = new AtomicInteger();
            Recorder handled = new Recorder();
            bus.subscribe(topic(), "g", "c1", e -> {
                if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("the first delivery fails on purpose");
                }
                handled.handle(e);
            });

            bus.publish(event("e-1", "run-1"));
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(bus.pending(topic(), "g")).isEqualTo(1));
            await().atMost(WAIT).until(() -> attempts.get() == 1);
            assertThat(handled.ids()).isEmpty();

            // The default backoff starts at 100 ms with 20 % jitter, so 1 s is always past it.
            clock.advance(Duration.ofSeconds(1));

            await().atMost(WAIT).untilAsserted(() -> assertThat(handled.ids()).containsExactly("e-1"));
            assertThat(bus.pending(topic(), "g")).isZero();
        }
    }

    @Test
    void forgets_acknowledged_ids_beyond_its_dedupe_window() {
        try (InMemoryEventBus bus = InMemoryEventBus.builder().dedupeWindow(2).build()) {
            Recorder handled = new Recorder();
            bus.subscribe(topic(), "g", "c1", handled);
            for (String id : new String[] {"a", "b", "c"}) {
                bus.publish(event(id, "run-1"));
            }
            await().atMost(WAIT).until(() -> handled.ids().size() == 3);

            bus.publish(event("a", "run-1"));
            bus.publish(event("c", "run-1"));
            bus.publish(event("marker", "run-1"));

            await().atMost(WAIT).untilAsserted(() -> assertThat(handled.ids()).contains("marker"));
            assertThat(handled.ids()).containsExactly("a", "b", "c", "a", "marker");
        }
    }
}
