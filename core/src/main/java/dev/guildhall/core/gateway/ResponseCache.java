package dev.guildhall.core.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.guildhall.core.Checks;
import dev.guildhall.core.WorkspaceId;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A bounded cache of chat responses keyed by the exact request, so an agent that asks the same
 * deterministic question twice pays once. Only requests with {@link #isCacheable(ChatRequest) a
 * temperature of exactly 0} are cached, because any other temperature asks for a different answer
 * each time; streamed calls are never cached. Keys include the workspace so that a cached answer
 * never crosses the tenant boundary, and the policy so that a cheaper model's answer is never served
 * to a call that asked for a better one.
 *
 * <p>Entries expire {@code ttl} after they were written, measured on the given clock. Thread-safe.
 */
public final class ResponseCache {
    private final Cache<Key, ChatResponse> cache;
    private final long maximumSize;

    /** Who asked, under which policy, for what. */
    public record Key(WorkspaceId workspace, ModelPolicy policy, ChatRequest request) {
        public Key {
            Checks.notNull(workspace, "workspace");
            Checks.notNull(policy, "policy");
            Checks.notNull(request, "request");
        }
    }

    public ResponseCache(long maximumSize, Duration ttl, Clock clock) {
        Checks.check(maximumSize >= 0, "maximumSize must be >= 0, was " + maximumSize);
        Checks.positive(ttl, "ttl");
        Checks.notNull(clock, "clock");
        this.maximumSize = maximumSize;
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfterWrite(ttl)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                // Maintenance runs on the calling thread so that eviction is deterministic in tests.
                .executor(Runnable::run)
                .build();
    }

    /** A cache that never stores anything. */
    public static ResponseCache disabled() {
        return new ResponseCache(0, Duration.ofSeconds(1), Clock.systemUTC());
    }

    /** Whether the answer to {@code request} is worth caching: only a temperature of exactly 0 is deterministic. */
    public static boolean isCacheable(ChatRequest request) {
        return request.temperature() != null && request.temperature() == 0.0;
    }

    public boolean enabled() {
        return maximumSize > 0;
    }

    public Optional<ChatResponse> find(Key key) {
        return enabled() ? Optional.ofNullable(cache.getIfPresent(key)) : Optional.empty();
    }

    public void put(Key key, ChatResponse response) {
        if (enabled()) {
            cache.put(key, Checks.notNull(response, "response"));
        }
    }

    /** The number of responses held now (approximate while another thread writes). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    public void clear() {
        cache.invalidateAll();
    }
}
