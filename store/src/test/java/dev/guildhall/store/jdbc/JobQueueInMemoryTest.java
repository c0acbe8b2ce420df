package dev.guildhall.store.jdbc;

import dev.guildhall.core.jobs.InMemoryJobQueue;
import dev.guildhall.core.jobs.JobQueue;
import dev.guildhall.core.time.MutableClock;
import dev.guildhall.testkit.jobs.JobQueueContract;

/** The job-queue contract on the in-memory queue, the reference the JDBC queue matches. */
class JobQueueInMemoryTest extends JobQueueContract {
    @Override
    protected JobQueue newQueue(MutableClock clock) {
        return new InMemoryJobQueue(clock);
    }
}
