package dev.guildhall.store.jdbc;

import dev.guildhall.core.jobs.JobQueue;
import dev.guildhall.core.time.MutableClock;
import dev.guildhall.testkit.jobs.JobQueueContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The job-queue contract on PostgreSQL. */
class JdbcJobQueuePostgresIT extends JobQueueContract {
    @RegisterExtension
    static final TestDatabase.Extension DB = TestDatabase.postgresExtension();

    @Override
    protected JobQueue newQueue(MutableClock clock) {
        DB.get().empty();
        return new JdbcJobQueue(DB.get().dataSource(), clock);
    }
}
