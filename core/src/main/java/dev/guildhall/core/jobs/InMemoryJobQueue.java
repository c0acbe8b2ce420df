package dev.guildhall.core.jobs;

import dev.guildhall.core.Checks;
import dev.guildhall.core.RunId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The job queue in memory, for one process and for tests: the reference behaviour that the JDBC
 * queue matches, checked by the same contract. Lost on exit.
 */
public final class InMemoryJobQueue implements JobQueue {
    private enum Status {
        READY,
        LEASED,
        DEAD
    }

    private static final class Entry {
        Status status = Status.READY;
        Instant runAt;

        @Nullable
        String owner;

        @Nullable
        Instant leaseUntil;

        long wakeSeq;

        @Nullable
        Instant wakeDuringLease;

        int claims;
        String reason = "";
        Instant deadAt = Instant.EPOCH;

        Entry(Instant runAt) {
            this.runAt = runAt;
        }
    }

    private final Clock clock;
    private final Map<RunId, Entry> entries = new HashMap<>();

    public InMemoryJobQueue(Clock clock) {
        this.clock = Checks.notNull(clock, "clock");
    }

    @Override
    public synchronized void schedule(RunId run, Instant at) {
        Entry e = entries.get(run);
        if (e == null) {
            entries.put(run, new Entry(at));
        } else if (e.status == Status.READY) {
            e.runAt = min(e.runAt, at);
        } else if (e.status == Status.LEASED) {
            e.wakeSeq++;
            e.wakeDuringLease = e.wakeDuringLease == null ? at : min(e.wakeDuringLease, at);
        }
        // A dead letter waits for its operator; the wake-up is not lost, the run's inbox keeps signals.
    }

    @Override
    public synchronized List<Lease> claim(String worker, int max, Duration lease) {
        Instant now = clock.instant();
        List<Map.Entry<RunId, Entry>> due = new ArrayList<>();
        entries.entrySet().stream()
                .filter(e -> e.getValue().status == Status.READY
                        && !e.getValue().runAt.isAfter(now))
                .sorted(Comparator.comparing(e -> e.getValue().runAt))
                .limit(max)
                .forEach(due::add);
        List<Lease> leases = new ArrayList<>(due.size());
        for (Map.Entry<RunId, Entry> d : due) {
            Entry e = d.getValue();
            e.status = Status.LEASED;
            e.owner = worker;
            e.leaseUntil = now.plus(lease);
            e.claims++;
            e.wakeDuringLease = null;
            leases.add(new Lease(d.getKey(), worker, e.wakeSeq, e.claims));
        }
        return leases;
    }

    @Override
    public synchronized int heartbeat(String worker, java.util.Collection<RunId> runs, Duration lease) {
        Instant until = clock.instant().plus(lease);
        int held = 0;
        for (RunId run : runs) {
            Entry e = entries.get(run);
            if (e != null && e.status == Status.LEASED && worker.equals(e.owner)) {
                e.leaseUntil = until;
                held++;
            }
        }
        return held;
    }

    @Override
    public synchronized void complete(Lease lease, @Nullable Instant nextWake) {
        Entry e = held(lease);
        if (e == null) {
            return;
        }
        Instant woken = e.wakeSeq != lease.wakeSeq() ? e.wakeDuringLease : null;
        Instant next = woken == null ? nextWake : nextWake == null ? woken : min(woken, nextWake);
        if (next == null) {
            entries.remove(lease.run());
            return;
        }
        e.status = Status.READY;
        e.runAt = next;
        e.owner = null;
        e.leaseUntil = null;
        e.claims = 0;
    }

    @Override
    public synchronized void release(Lease lease) {
        Entry e = held(lease);
        if (e != null) {
            e.status = Status.READY;
            e.runAt = clock.instant();
            e.owner = null;
            e.leaseUntil = null;
            e.claims = Math.max(0, e.claims - 1); // A clean hand-back is not a failed attempt.
        }
    }

    @Override
    public synchronized void deadLetter(Lease lease, String reason) {
        Entry e = held(lease);
        if (e != null) {
            park(e, reason);
        }
    }

    @Override
    public synchronized int reclaimExpired(int maxClaims) {
        Instant now = clock.instant();
        int moved = 0;
        for (Entry e : entries.values()) {
            if (e.status == Status.LEASED && e.leaseUntil != null && e.leaseUntil.isBefore(now)) {
                if (e.claims >= maxClaims) {
                    park(e, "lease expired " + e.claims + " times: its worker died or hung while driving it");
                } else {
                    e.status = Status.READY;
                    e.runAt = now;
                    e.owner = null;
                    e.leaseUntil = null;
                }
                moved++;
            }
        }
        return moved;
    }

    @Override
    public synchronized List<DeadLetter> deadLetters(int limit) {
        return entries.entrySet().stream()
                .filter(e -> e.getValue().status == Status.DEAD)
                .map(e -> new DeadLetter(e.getKey(), e.getValue().reason, e.getValue().claims, e.getValue().deadAt))
                .sorted(Comparator.comparing(DeadLetter::at))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized boolean retry(RunId run) {
        Entry e = entries.get(run);
        if (e == null || e.status != Status.DEAD) {
            return false;
        }
        e.status = Status.READY;
        e.runAt = clock.instant();
        e.claims = 0;
        e.reason = "";
        return true;
    }

    @Override
    public synchronized boolean discard(RunId run) {
        Entry e = entries.get(run);
        if (e == null || e.status != Status.DEAD) {
            return false;
        }
        entries.remove(run);
        return true;
    }

    @Override
    public synchronized QueueStats stats() {
        Instant now = clock.instant();
        long due = 0;
        long scheduled = 0;
        long leased = 0;
        long dead = 0;
        Instant oldestDue = null;
        for (Entry e : entries.values()) {
            switch (e.status) {
                case READY -> {
                    if (e.runAt.isAfter(now)) {
                        scheduled++;
                    } else {
                        due++;
                        oldestDue = oldestDue == null ? e.runAt : min(oldestDue, e.runAt);
                    }
                }
                case LEASED -> leased++;
                case DEAD -> dead++;
            }
        }
        Duration lag = oldestDue == null ? Duration.ZERO : Duration.between(oldestDue, now);
        return new QueueStats(due, scheduled, leased, dead, lag);
    }

    private @Nullable Entry held(Lease lease) {
        Entry e = entries.get(lease.run());
        return e != null && e.status == Status.LEASED && lease.worker().equals(e.owner) ? e : null;
    }

    private void park(Entry e, String reason) {
        e.status = Status.DEAD;
        e.owner = null;
        e.leaseUntil = null;
        e.reason = reason;
        e.deadAt = clock.instant();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
