package dev.guildhall.store.jdbc;

import dev.guildhall.core.jobs.JobQueue;
import dev.guildhall.core.time.MutableClock;
import dev.guildhall.testkit.jobs.JobQueueContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The job-queue contract on H2. */
class JdbcJobQueueH2IT extends JobQueueContract {
    @RegisterExtension
    static final TestDatabase.Extension DB = TestDatabase.h2Extension();

    @Override
    protected JobQueue newQueue(MutableClock clock) {
        DB.get().empty();
        return new JdbcJobQueue(DB.get().dataSource(), clock);
    }
}
