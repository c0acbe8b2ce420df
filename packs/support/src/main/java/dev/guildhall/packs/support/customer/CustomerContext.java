package dev.guildhall.packs.support.customer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.guildhall.core.Checks;
import dev.guildhall.core.WorkspaceId;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Customer profiles for the desk, cached: a busy customer writes several messages a minute and
 * each one would otherwise ask the directory again. Unknown customers are cached too, so a flood
 * of messages from an unknown id does not hammer the directory. Entries expire after {@code ttl}
 * by the injected clock. Thread-safe.
 */
public final class CustomerContext {
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(1);
    public static final int DEFAULT_SIZE = 10_000;

    private record Key(WorkspaceId workspace, CustomerId customer) {}

    private final CustomerDirectory directory;
    private final Cache<Key, Optional<CustomerProfile>> cache;

    public CustomerContext(CustomerDirectory directory, Clock clock, Duration ttl, int size) {
        this.directory = Checks.notNull(directory, "directory");
        Checks.notNull(clock, "clock");
        Checks.positive(ttl, "ttl");
        this.cache = Caffeine.newBuilder()
                .maximumSize(Checks.positive(size, "size"))
                .expireAfterWrite(ttl)
                .ticker(() -> clock.millis() * 1_000_000L)
                .build();
    }

    public CustomerContext(CustomerDirectory directory, Clock clock) {
        this(directory, clock, DEFAULT_TTL, DEFAULT_SIZE);
    }

    public Optional<CustomerProfile> find(WorkspaceId workspace, CustomerId customer) {
        return cache.get(new Key(workspace, customer), k -> directory.find(k.workspace(), k.customer()));
    }

    /** Forgets a customer, for a caller that just changed the profile. */
    public void invalidate(WorkspaceId workspace, CustomerId customer) {
        cache.invalidate(new Key(workspace, customer));
    }
}
