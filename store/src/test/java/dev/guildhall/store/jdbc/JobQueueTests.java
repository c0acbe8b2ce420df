package dev.guildhall.store.jdbc;

import dev.guildhall.core.jobs.InMemoryJobQueue;
import dev.guildhall.core.jobs.JobQueue;
import dev.guildhall.core.time.MutableClock;
import dev.guildhall.testkit.jobs.JobQueueContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The job-queue contract on the in-memory queue, on H2 and on PostgreSQL. */
class JobQueueTests {

    @Nested
    class InMemory extends JobQueueContract {
        @Override
        protected JobQueue newQueue(MutableClock clock) {
            return new InMemoryJobQueue(clock);
        }
    }

    abstract static class OnDatabase extends JobQueueContract {
        abstract TestDatabase db();

        @Override
        protected JobQueue newQueue(MutableClock clock) {
            db().empty();
            return new JdbcJobQueue(db().dataSource(), clock);
        }
    }

    static class H2IT extends OnDatabase {
        @RegisterExtension
        static final TestDatabase.Extension DB = TestDatabase.h2Extension();

        @Override
        TestDatabase db() {
            return DB.get();
        }
    }

    static class PostgresIT extends OnDatabase {
        @RegisterExtension
        static final TestDatabase.Extension DB = TestDatabase.postgresExtension();

        @Override
        TestDatabase db() {
            return DB.get();
        }
    }
}
