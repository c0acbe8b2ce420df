package dev.guildhall.testkit.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.RunId;
import dev.guildhall.core.jobs.DeadLetter;
import dev.guildhall.core.jobs.JobQueue;
import dev.guildhall.core.jobs.Lease;
import dev.guildhall.core.jobs.QueueStats;
import dev.guildhall.core.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link JobQueue} must have. An implementation's test extends this class and
 * overrides {@link #newQueue}, which returns an empty queue on the given clock.
 */
public abstract class JobQueueContract {
    protected static final Duration LEASE = Duration.ofSeconds(30);
    protected final MutableClock clock = MutableClock.at("2026-03-01T09:00:00Z");
    private JobQueue queue;

    protected abstract JobQueue newQueue(MutableClock clock);

    @BeforeEach
    void createQueue() {
        queue = newQueue(clock);
    }

    private static RunId run(String id) {
        return RunId.of(id);
    }

    @Test
    void a_scheduled_run_is_claimed_once_it_is_due_and_not_before() {
        queue.schedule(run("later"), clock.instant().plusSeconds(60));
        queue.schedule(run("now"), clock.instant());

        assertThat(queue.claim("w1", 10, LEASE)).extracting(Lease::run).containsExactly(run("now"));
        assertThat(queue.claim("w1", 10, LEASE)).isEmpty();

        clock.advance(Duration.ofSeconds(60));
        List<Lease> later = queue.claim("w1", 10, LEASE);
        assertThat(later).extracting(Lease::run).containsExactly(run("later"));
        assertThat(later.get(0).claims()).isEqualTo(1);
    }

    @Test
    void the_earliest_of_several_requests_wins_and_a_run_has_one_entry() {
        queue.schedule(run("r"), clock.instant().plusSeconds(60));
        queue.schedule(run("r"), clock.instant().plusSeconds(5));
        queue.schedule(run("r"), clock.instant().plusSeconds(30));

        clock.advance(Duration.ofSeconds(5));
        assertThat(queue.claim("w1", 10, LEASE)).hasSize(1);
        assertThat(queue.stats().leased()).isEqualTo(1);
        assertThat(queue.stats().due() + queue.stats().scheduled()).isZero();
    }

    @Test
    void oldest_due_entries_are_claimed_first_up_to_the_limit() {
        queue.schedule(run("b"), clock.instant().minusSeconds(5));
        queue.schedule(run("a"), clock.instant().minusSeconds(10));
        queue.schedule(run("c"), clock.instant());

        assertThat(queue.claim("w1", 2, LEASE)).extracting(Lease::run).containsExactly(run("a"), run("b"));
    }

    @Test
    void completing_without_a_next_wake_removes_the_entry() {
        queue.schedule(run("r"), clock.instant());
        Lease lease = queue.claim("w1", 1, LEASE).get(0);

        queue.complete(lease, null);

        clock.advance(Duration.ofHours(1));
        assertThat(queue.claim("w1", 1, LEASE)).isEmpty();
        assertThat(queue.stats()).isEqualTo(new QueueStats(0, 0, 0, 0, Duration.ZERO));
    }

    @Test
    void completing_with_a_next_wake_keeps_the_run_due_then() {
        queue.schedule(run("sleeper"), clock.instant());
        Lease lease = queue.claim("w1", 1, LEASE).get(0);

        queue.complete(lease, clock.instant().plusSeconds(90));

        assertThat(queue.claim("w1", 1, LEASE)).isEmpty();
        assertThat(queue.stats().scheduled()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(90));
        assertThat(queue.claim("w2", 1, LEASE)).extracting(Lease::run).containsExactly(run("sleeper"));
    }

    @Test
    void a_wake_during_the_lease_makes_the_run_due_again_when_the_lease_completes() {
        queue.schedule(run("r"), clock.instant());
        Lease lease = queue.claim("w1", 1, LEASE).get(0);

        queue.schedule(run("r"), clock.instant()); // A signal arrives while w1 drives the run.
        assertThat(queue.claim("w2", 1, LEASE))
                .as("leased runs are not claimed twice")
                .isEmpty();
        queue.complete(lease, null);

        assertThat(queue.claim("w2", 1, LEASE)).extracting(Lease::run).containsExactly(run("r"));
    }

    @Test
    void an_expired_lease_is_reclaimed_and_another_worker_takes_the_run() {
        queue.schedule(run("r"), clock.instant());
        Lease dead = queue.claim("w1", 1, LEASE).get(0);

        clock.advance(LEASE.minusSeconds(1));
        assertThat(queue.reclaimExpired(5)).isZero();
        clock.advance(Duration.ofSeconds(2));
        assertThat(queue.reclaimExpired(5)).isEqualTo(1);

        List<Lease> taken = queue.claim("w2", 1, LEASE);
        assertThat(taken).extracting(Lease::run).containsExactly(run("r"));
        assertThat(taken.get(0).claims()).isEqualTo(2);
        queue.complete(dead, null); // The old worker wakes up: its lease is gone, so nothing changes.
        assertThat(queue.stats().leased()).isEqualTo(1);
    }

    @Test
    void heartbeats_keep_alive_the_leases_they_name_and_only_those() {
        queue.schedule(run("driving"), clock.instant());
        queue.schedule(run("given-up"), clock.instant());
        queue.claim("w1", 2, LEASE);

        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(20));
            assertThat(queue.heartbeat("w1", List.of(run("driving")), LEASE)).isEqualTo(1);
            queue.reclaimExpired(5);
        }
        assertThat(queue.heartbeat("w2", List.of(run("driving")), LEASE)).isZero();
        assertThat(queue.claim("w2", 2, LEASE))
                .as("the lease nobody renewed expired; the renewed one did not")
                .extracting(Lease::run)
                .containsExactly(run("given-up"));
    }

    @Test
    void a_run_whose_lease_keeps_expiring_becomes_a_dead_letter() {
        queue.schedule(run("poison"), clock.instant());
        for (int i = 0; i < 3; i++) {
            assertThat(queue.claim("w" + i, 1, LEASE)).hasSize(1);
            clock.advance(LEASE.plusSeconds(1));
            queue.reclaimExpired(3);
        }

        assertThat(queue.claim("w9", 1, LEASE)).isEmpty();
        List<DeadLetter> dead = queue.deadLetters(10);
        assertThat(dead).extracting(DeadLetter::run).containsExactly(run("poison"));
        assertThat(dead.get(0).claims()).isEqualTo(3);
        assertThat(dead.get(0).reason()).contains("lease expired");
    }

    @Test
    void a_dead_letter_waits_for_an_operator_who_retries_or_discards_it() {
        queue.schedule(run("a"), clock.instant());
        queue.schedule(run("b"), clock.instant());
        for (Lease l : queue.claim("w1", 2, LEASE)) {
            queue.deadLetter(l, "step charge failed: card declined");
        }
        queue.schedule(run("a"), clock.instant()); // A signal for a dead run does not revive it.
        assertThat(queue.claim("w1", 2, LEASE)).isEmpty();
        assertThat(queue.stats().dead()).isEqualTo(2);
        assertThat(queue.deadLetters(10))
                .extracting(DeadLetter::reason)
                .containsOnly("step charge failed: card declined");

        assertThat(queue.retry(run("a"))).isTrue();
        assertThat(queue.discard(run("b"))).isTrue();
        assertThat(queue.retry(run("b"))).isFalse();
        assertThat(queue.discard(run("nope"))).isFalse();

        assertThat(queue.claim("w1", 2, LEASE)).extracting(Lease::run).containsExactly(run("a"));
        assertThat(queue.deadLetters(10)).isEmpty();
    }

    @Test
    void a_released_run_is_due_at_once_for_any_worker() {
        queue.schedule(run("r"), clock.instant());
        Lease lease = queue.claim("w1", 1, LEASE).get(0);

        queue.release(lease);

        assertThat(queue.claim("w2", 1, LEASE)).extracting(Lease::run).containsExactly(run("r"));
    }

    @Test
    void stats_count_due_scheduled_leased_and_dead_entries_and_the_lag_of_the_oldest_due() {
        queue.schedule(run("due"), clock.instant().minusSeconds(3));
        queue.schedule(run("later"), clock.instant().plusSeconds(30));
        queue.schedule(run("leased"), clock.instant().minusSeconds(10));
        queue.claim("w1", 1, LEASE);

        QueueStats stats = queue.stats();

        assertThat(stats.due()).isEqualTo(1);
        assertThat(stats.scheduled()).isEqualTo(1);
        assertThat(stats.leased()).isEqualTo(1);
        assertThat(stats.lag()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void concurrent_workers_never_claim_the_same_run() throws Exception {
        int runs = 200;
        for (int i = 0; i < runs; i++) {
            queue.schedule(run("r" + i), clock.instant());
        }
        int workers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<RunId>>> claims = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String worker = "w" + w;
            claims.add(pool.submit(() -> {
                start.await();
                List<RunId> mine = new ArrayList<>();
                List<Lease> got;
                while (!(got = queue.claim(worker, 7, LEASE)).isEmpty()) {
                    got.forEach(l -> mine.add(l.run()));
                }
                return mine;
            }));
        }
        start.countDown();
        List<RunId> all = Collections.synchronizedList(new ArrayList<>());
        for (Future<List<RunId>> f : claims) {
            all.addAll(f.get());
        }
        pool.shutdown();

        Set<RunId> distinct = new HashSet<>(all);
        assertThat(all).hasSize(runs);
        assertThat(distinct).hasSize(runs);
    }

    @Test
    void a_schedule_for_the_past_is_due_now() {
        Instant past = clock.instant().minusSeconds(3600);
        queue.schedule(run("r"), past);
        assertThat(queue.claim("w1", 1, LEASE)).hasSize(1);
    }
}
