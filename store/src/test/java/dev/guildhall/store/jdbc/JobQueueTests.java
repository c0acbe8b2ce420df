package dev.guildhall.store.jdbc;

import dev.guildhall.core.jobs.InMemoryJobQueue;
import dev.guildhall.core.jobs.JobQueue;
import dev.guildhall.core.time.MutableClock;
import dev.guildhall.testkit.jobs.JobQueueContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

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
        static TestDatabase db;

        @BeforeAll
        static void open() {
            db = TestDatabase.h2();
        }

        @AfterAll
        static void close() throws Exception {
            db.close();
        }

        @Override
        TestDatabase db() {
            return db;
        }
    }

    static class PostgresIT extends OnDatabase {
        static TestDatabase db;

        @BeforeAll
        static void open() {
            db = TestDatabase.postgres();
        }

        @AfterAll
        static void close() throws Exception {
            if (db != null) {
                db.close();
            }
        }

        @Override
        TestDatabase db() {
            return db;
        }
    }
}
