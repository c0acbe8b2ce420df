package dev.guildhall.store.jdbc;

import dev.guildhall.core.workflow.InMemoryRunStore;
import dev.guildhall.core.workflow.RunStore;
import dev.guildhall.testkit.workflow.RunStoreContract;

/** The run-store contract on the in-memory store. */
class RunStoreInMemoryTest extends RunStoreContract {
    @Override
    protected RunStore newStore() {
        return new InMemoryRunStore();
    }
}
