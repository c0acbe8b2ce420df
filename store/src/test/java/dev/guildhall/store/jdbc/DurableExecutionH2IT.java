package dev.guildhall.store.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Durable execution on H2. */
class DurableExecutionH2IT extends DurableExecutionContract {
    @RegisterExtension
    static final TestDatabase.Extension DB = TestDatabase.h2Extension();

    @Override
    TestDatabase db() {
        return DB.get();
    }
}
