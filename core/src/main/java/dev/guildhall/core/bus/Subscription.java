package dev.guildhall.core.bus;

/**
 * A running consumer; closing it stops delivery and leaves unacknowledged events to the group.
 * Closing interrupts a handler that is still running and waits a bounded time for it. Idempotent.
 */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
