package dev.guildhall.core.bus;

import dev.guildhall.core.Checks;
import dev.guildhall.core.retry.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventBus} in this process: the embedded default, and the reference the Redis bus is
 * tested against. Lost on restart.
 *
 * <p>Each topic is an append log of at most {@link Builder#maxLength(int)} events; each group has
 * its own cursor in it and a table of delivered but unacknowledged events. Each subscription runs
 * its handler on its own thread. A failed delivery is retried after a backoff from {@link
 * Builder#redelivery(RetryPolicy)} (capped) by any consumer of the group; after {@link
 * Builder#maxDeliveries(int)} deliveries the event moves to the dead-letter topic. Each group
 * remembers the last {@link Builder#dedupeWindow(int)} acknowledged event ids and skips them.
 *
 * <p>Thread-safe: one lock guards every topic, which is plenty for one process.
 */
public final class InMemoryEventBus implements EventBus {
    public static final int DEFAULT_MAX_LENGTH = 10_000;
    public static final int DEFAULT_DEDUPE_WINDOW = 10_000;
    public static final int DEFAULT_MAX_DELIVERIES = 10;
    public static final RetryPolicy DEFAULT_REDELIVERY = RetryPolicy.builder()
            .initialInterval(Duration.ofMillis(100))
            .backoffCoefficient(2.0)
            .maximumInterval(Duration.ofSeconds(10))
            .jitter(0.2)
            .build();
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(50);
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryEventBus.class);

    private final Clock clock;
    private final int maxLength;
    private final int dedupeWindow;
    private final int maxDeliveries;
    private final RetryPolicy redelivery;
    private final Duration pollInterval;
    private final Duration closeTimeout;
    private final Random random = new Random();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Topic> topics = new HashMap<>();
    private final Set<InMemorySubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private boolean closed;

    private InMemoryEventBus(Builder b) {
        this.clock = b.clock;
        this.maxLength = b.maxLength;
        this.dedupeWindow = b.dedupeWindow;
        this.maxDeliveries = b.maxDeliveries;
        this.redelivery = b.redelivery;
        this.pollInterval = b.pollInterval;
        this.closeTimeout = b.closeTimeout;
    }

    /** A bus with the default limits and the system clock. */
    public static InMemoryEventBus create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void publish(BusEvent event) {
        Checks.notNull(event, "event");
        BusNames.check(event.topic(), "topic");
        lock.lock();
        try {
            checkOpen();
            append(event);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Subscription subscribe(String topic, String group, String consumer, EventHandler handler) {
        BusNames.check(topic, "topic");
        BusNames.check(group, "group");
        BusNames.check(consumer, "consumer");
        Checks.notNull(handler, "handler");
        InMemorySubscription subscription;
        lock.lock();
        try {
            checkOpen();
            Topic t = topic(topic);
            Group g = t.groups.computeIfAbsent(group, name -> new Group(name, t.nextOffset));
            subscription = new InMemorySubscription(t, g, consumer, handler);
            subscriptions.add(subscription);
        } finally {
            lock.unlock();
        }
        subscription.start();
        return subscription;
    }

    /** How many events the topic holds now: at most the configured maximum length. */
    public long length(String topic) {
        lock.lock();
        try {
            Topic t = topics.get(topic);
            return t == null ? 0 : t.size();
        } finally {
            lock.unlock();
        }
    }

    /** How many events of the topic the group has been given but not acknowledged. */
    public int pending(String topic, String group) {
        lock.lock();
        try {
            Topic t = topics.get(topic);
            Group g = t == null ? null : t.groups.get(group);
            return g == null ? 0 : g.pending.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (InMemorySubscription s : List.copyOf(subscriptions)) {
            s.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("InMemoryEventBus is closed");
        }
    }

    /** Under the lock. */
    private Topic topic(String name) {
        return topics.computeIfAbsent(name, Topic::new);
    }

    /** Under the lock. */
    private void append(BusEvent event) {
        Topic t = topic(event.topic());
        t.append(event, maxLength);
        changed.signalAll();
    }

    /**
     * Waits for the next event the subscription should handle: a failed one whose backoff is over,
     * then the group's next new one. Returns null once the subscription or the bus is closed.
     */
    private @Nullable Pending take(InMemorySubscription s) throws InterruptedException {
        lock.lock();
        try {
            while (!s.closed && !closed) {
                Instant now = clock.instant();
                Instant earliest = null;
                for (Pending p : s.group.pending.values()) {
                    if (p.owner != null) {
                        continue;
                    }
                    if (!p.availableAt.isAfter(now)) {
                        p.owner = s;
                        p.deliveries++;
                        return p;
                    }
                    earliest = earliest == null || p.availableAt.isBefore(earliest) ? p.availableAt : earliest;
                }
                Entry next = s.nextNew();
                if (next != null) {
                    Pending p = new Pending(next, s);
                    s.group.pending.put(next.offset, p);
                    return p;
                }
                long waitNanos = pollInterval.toNanos();
                if (earliest != null) {
                    waitNanos = Math.max(
                            1,
                            Math.min(waitNanos, Duration.between(now, earliest).toNanos()));
                }
                changed.awaitNanos(waitNanos);
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void acknowledge(InMemorySubscription s, Pending p, boolean remember) {
        lock.lock();
        try {
            s.group.pending.remove(p.entry.offset, p);
            if (remember) {
                s.group.remember(p.entry.event.id(), dedupeWindow);
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean alreadyHandled(InMemorySubscription s, Pending p) {
        lock.lock();
        try {
            return s.group.done.contains(p.entry.event.id());
        } finally {
            lock.unlock();
        }
    }

    private void failed(InMemorySubscription s, Pending p, Throwable error) {
        BusEvent e = p.entry.event;
        lock.lock();
        try {
            if (s.group.pending.get(p.entry.offset) != p || p.owner != s) {
                return;
            }
            if (p.deliveries >= maxDeliveries) {
                s.group.pending.remove(p.entry.offset);
                LOG.warn(
                        "Event(id={}, topic={}, group={}) failed {} deliveries, moved to {}: {}",
                        e.id(),
                        e.topic(),
                        s.group.name,
                        p.deliveries,
                        BusNames.deadLetterTopic(e.topic()),
                        error.toString());
                if (!closed) {
                    append(new BusEvent(
                            e.id(),
                            BusNames.deadLetterTopic(e.topic()),
                            e.type(),
                            e.key(),
                            e.payload(),
                            e.occurredAt()));
                }
                return;
            }
            Duration delay = redelivery.delayBefore(p.deliveries + 1, random);
            p.owner = null;
            p.availableAt = clock.instant().plus(delay);
            LOG.warn(
                    "Event(id={}, topic={}, group={}) failed delivery {}, again in {}: {}",
                    e.id(),
                    e.topic(),
                    s.group.name,
                    p.deliveries,
                    delay,
                    error.toString());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Hands the subscription's unfinished event back to its group at once. */
    private void release(InMemorySubscription s) {
        lock.lock();
        try {
            for (Pending p : s.group.pending.values()) {
                if (p.owner == s) {
                    p.owner = null;
                    p.availableAt = clock.instant();
                }
            }
            subscriptions.remove(s);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private record Entry(long offset, BusEvent event) {}

    private static final class Topic {
        final String name;
        /** Entries from index {@code head} on are live; the ones before it were trimmed. */
        final ArrayList<@Nullable Entry> log = new ArrayList<>();

        final Map<String, Group> groups = new HashMap<>();
        int head;
        long nextOffset;

        Topic(String name) {
            this.name = name;
        }

        int size() {
            return log.size() - head;
        }

        void append(BusEvent event, int maxLength) {
            log.add(new Entry(nextOffset++, event));
            while (size() > maxLength) {
                log.set(head++, null);
            }
            // Drop the trimmed slots now and then, so trimming costs O(1) per append on average.
            if (head > 1024 && head > log.size() / 2) {
                log.subList(0, head).clear();
                head = 0;
            }
        }

        /** The entry at {@code offset}, or the oldest one kept when it was trimmed away; null at the end. */
        @Nullable
        Entry entryAtOrAfter(long offset) {
            if (size() == 0 || offset >= nextOffset) {
                return null;
            }
            long first = nextOffset - size();
            return log.get(head + (int) (Math.max(offset, first) - first));
        }
    }

    private static final class Group {
        final String name;
        final LinkedHashMap<Long, Pending> pending = new LinkedHashMap<>();
        final LinkedHashSet<String> done = new LinkedHashSet<>();
        long cursor;

        Group(String name, long cursor) {
            this.name = name;
            this.cursor = cursor;
        }

        void remember(String id, int window) {
            done.add(id);
            Iterator<String> oldest = done.iterator();
            while (done.size() > window && oldest.hasNext()) {
                oldest.next();
                oldest.remove();
            }
        }
    }

    private static final class Pending {
        final Entry entry;

        @Nullable
        InMemorySubscription owner;

        int deliveries = 1;
        Instant availableAt = Instant.EPOCH;

        Pending(Entry entry, InMemorySubscription owner) {
            this.entry = entry;
            this.owner = owner;
        }
    }

    private final class InMemorySubscription implements Subscription, Runnable {
        final Topic topic;
        final Group group;
        final String consumer;
        final EventHandler handler;
        final Thread thread;
        volatile boolean closed;

        InMemorySubscription(Topic topic, Group group, String consumer, EventHandler handler) {
            this.topic = topic;
            this.group = group;
            this.consumer = consumer;
            this.handler = handler;
            this.thread = new Thread(this, "guildhall-bus-" + topic.name + "-" + group.name + "-" + consumer);
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        /** Under the lock: the group's next new entry, moving its cursor past it. */
        @Nullable
        Entry nextNew() {
            Entry e = topic.entryAtOrAfter(group.cursor);
            if (e != null) {
                group.cursor = e.offset + 1;
            }
            return e;
        }

        @Override
        public void run() {
            try {
                Pending p;
                while ((p = take(this)) != null) {
                    deliver(p);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                release(this);
            }
        }

        private void deliver(Pending p) {
            if (alreadyHandled(this, p)) {
                acknowledge(this, p, false);
                return;
            }
            try {
                handler.handle(p.entry.event);
                acknowledge(this, p, true);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Exception | Error e) {
                // Anything a handler throws, assertion errors in tests included, means "not handled".
                failed(this, p, e);
            } finally {
                // An interrupt is only ever close() stopping the handler, and the loop sees `closed`;
                // a handler that interrupted itself must not end the subscription.
                Thread.interrupted();
            }
        }

        @Override
        public void close() {
            closed = true;
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            if (Thread.currentThread() != thread) {
                thread.interrupt();
                try {
                    thread.join(Math.max(1, closeTimeout.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (thread.isAlive()) {
                    LOG.warn(
                            "Subscription(topic={}, group={}, consumer={}) handler still running after {}; its event goes back to the group",
                            topic.name,
                            group.name,
                            consumer,
                            closeTimeout);
                }
            }
            release(this);
        }
    }

    /** Settings of an {@link InMemoryEventBus}; every one has a default. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private int maxLength = DEFAULT_MAX_LENGTH;
        private int dedupeWindow = DEFAULT_DEDUPE_WINDOW;
        private int maxDeliveries = DEFAULT_MAX_DELIVERIES;
        private RetryPolicy redelivery = DEFAULT_REDELIVERY;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

        private Builder() {}

        /** Decides when a failed event is due again; a test clock moves it without waiting. */
        public Builder clock(Clock clock) {
            this.clock = Checks.notNull(clock, "clock");
            return this;
        }

        /** Events kept per topic; older ones are dropped, even if a group has not read them. */
        public Builder maxLength(int maxLength) {
            this.maxLength = Checks.positive(maxLength, "maxLength");
            return this;
        }

        /** Acknowledged event ids each group remembers to skip a republished event. */
        public Builder dedupeWindow(int dedupeWindow) {
            this.dedupeWindow = Checks.positive(dedupeWindow, "dedupeWindow");
            return this;
        }

        /** Deliveries of one event to one group, the first included, before it is dead-lettered. */
        public Builder maxDeliveries(int maxDeliveries) {
            this.maxDeliveries = Checks.positive(maxDeliveries, "maxDeliveries");
            return this;
        }

        /** The backoff before a failed event is delivered again; only its intervals and jitter count. */
        public Builder redelivery(RetryPolicy redelivery) {
            this.redelivery = Checks.notNull(redelivery, "redelivery");
            return this;
        }

        /** How often idle consumers look at the clock for failed events that are due again. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Checks.positive(pollInterval, "pollInterval");
            return this;
        }

        /** How long closing a subscription waits for a running handler. */
        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = Checks.notNegative(closeTimeout, "closeTimeout");
            return this;
        }

        public InMemoryEventBus build() {
            return new InMemoryEventBus(this);
        }
    }
}
