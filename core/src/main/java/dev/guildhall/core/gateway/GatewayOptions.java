package dev.guildhall.core.gateway;

import dev.guildhall.core.Checks;
import dev.guildhall.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link RoutingModelGateway} routes and protects calls: the ordered routes of each model
 * policy (the first is tried first, the rest are fallbacks), the routes for embeddings, the per-call
 * timeout, the retry policy for rate limits and server errors, and the response cache's bounds.
 *
 * <p>Immutable and thread-safe. Build one with {@link #builder()}.
 */
public final class GatewayOptions {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final RetryPolicy DEFAULT_RETRY_POLICY = RetryPolicy.defaults();
    public static final long DEFAULT_CACHE_SIZE = 1_000;
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofHours(1);

    private final Map<ModelPolicy, List<ModelRoute>> chatRoutes;
    private final List<ModelRoute> embeddingRoutes;
    private final Duration timeout;
    private final RetryPolicy retryPolicy;
    private final long cacheSize;
    private final Duration cacheTtl;

    private GatewayOptions(Builder b) {
        EnumMap<ModelPolicy, List<ModelRoute>> routes = new EnumMap<>(ModelPolicy.class);
        b.chatRoutes.forEach((policy, list) -> routes.put(policy, List.copyOf(list)));
        this.chatRoutes = java.util.Collections.unmodifiableMap(routes);
        this.embeddingRoutes = List.copyOf(b.embeddingRoutes);
        this.timeout = b.timeout;
        this.retryPolicy = b.retryPolicy;
        this.cacheSize = b.cacheSize;
        this.cacheTtl = b.cacheTtl;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder()
                .embeddingRoutes(embeddingRoutes)
                .timeout(timeout)
                .retryPolicy(retryPolicy)
                .cacheSize(cacheSize)
                .cacheTtl(cacheTtl);
        chatRoutes.forEach(b::routes);
        return b;
    }

    /** The routes for {@code policy} in the order they are tried; empty when none is configured. */
    public List<ModelRoute> routesFor(ModelPolicy policy) {
        return chatRoutes.getOrDefault(policy, List.of());
    }

    /** Every policy's routes; policies without routes are absent. */
    public Map<ModelPolicy, List<ModelRoute>> chatRoutes() {
        return chatRoutes;
    }

    public List<ModelRoute> embeddingRoutes() {
        return embeddingRoutes;
    }

    /** The longest one provider attempt may take, streamed or not. */
    public Duration timeout() {
        return timeout;
    }

    /** Attempts per route for rate limits and server errors, and the backoff between them. */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** The most responses the cache keeps; 0 disables caching. */
    public long cacheSize() {
        return cacheSize;
    }

    /** How long a cached response stays valid. */
    public Duration cacheTtl() {
        return cacheTtl;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GatewayOptions g
                && chatRoutes.equals(g.chatRoutes)
                && embeddingRoutes.equals(g.embeddingRoutes)
                && timeout.equals(g.timeout)
                && retryPolicy.equals(g.retryPolicy)
                && cacheSize == g.cacheSize
                && cacheTtl.equals(g.cacheTtl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(chatRoutes, embeddingRoutes, timeout, retryPolicy, cacheSize, cacheTtl);
    }

    @Override
    public String toString() {
        return "GatewayOptions[routes=%s, embeddings=%s, timeout=%s, retry=%s, cacheSize=%d, cacheTtl=%s]"
                .formatted(chatRoutes, embeddingRoutes, timeout, retryPolicy, cacheSize, cacheTtl);
    }

    public static final class Builder {
        private final EnumMap<ModelPolicy, List<ModelRoute>> chatRoutes = new EnumMap<>(ModelPolicy.class);
        private List<ModelRoute> embeddingRoutes = List.of();
        private Duration timeout = DEFAULT_TIMEOUT;
        private RetryPolicy retryPolicy = DEFAULT_RETRY_POLICY;
        private long cacheSize = DEFAULT_CACHE_SIZE;
        private Duration cacheTtl = DEFAULT_CACHE_TTL;

        private Builder() {}

        /** Replaces the routes of {@code policy}; an empty list removes them. */
        public Builder routes(ModelPolicy policy, List<ModelRoute> routes) {
            Checks.notNull(policy, "policy");
            Checks.notNull(routes, "routes");
            Checks.check(
                    policy != ModelPolicy.NONE || routes.isEmpty(),
                    "routes for policy none must be empty, was " + routes);
            List<ModelRoute> copy = new ArrayList<>();
            for (ModelRoute route : routes) {
                Checks.notNull(route, "route");
                Checks.check(
                        !copy.contains(route),
                        "routes of policy %s must not repeat %s".formatted(policy.wireName(), route));
                copy.add(route);
            }
            if (copy.isEmpty()) {
                chatRoutes.remove(policy);
            } else {
                chatRoutes.put(policy, copy);
            }
            return this;
        }

        /** Replaces the routes of {@code policy}, parsing each {@code provider:model}. */
        public Builder routes(ModelPolicy policy, String... routes) {
            List<ModelRoute> parsed = new ArrayList<>();
            for (String r : routes) {
                parsed.add(ModelRoute.parse(r));
            }
            return routes(policy, parsed);
        }

        public Builder embeddingRoutes(List<ModelRoute> routes) {
            Checks.notNull(routes, "embeddingRoutes");
            this.embeddingRoutes = List.copyOf(routes);
            return this;
        }

        public Builder embeddingRoutes(String... routes) {
            List<ModelRoute> parsed = new ArrayList<>();
            for (String r : routes) {
                parsed.add(ModelRoute.parse(r));
            }
            return embeddingRoutes(parsed);
        }

        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive(timeout, "timeout");
            return this;
        }

        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Checks.notNull(retryPolicy, "retryPolicy");
            return this;
        }

        public Builder cacheSize(long cacheSize) {
            Checks.check(cacheSize >= 0, "cacheSize must be >= 0, was " + cacheSize);
            this.cacheSize = cacheSize;
            return this;
        }

        public Builder cacheTtl(Duration cacheTtl) {
            this.cacheTtl = Checks.positive(cacheTtl, "cacheTtl");
            return this;
        }

        public GatewayOptions build() {
            return new GatewayOptions(this);
        }
    }
}
