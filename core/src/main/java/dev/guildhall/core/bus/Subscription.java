package dev.guildhall.core.bus;

/** A running consumer; closing it stops delivery and leaves unacknowledged events to the group. */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
