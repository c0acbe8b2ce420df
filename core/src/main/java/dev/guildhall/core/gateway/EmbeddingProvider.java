package dev.guildhall.core.gateway;

import java.time.Duration;
import java.util.List;

/**
 * The port an embedding model backend implements for the {@link RoutingModelGateway}. Like {@link
 * ChatProvider}, it only talks to its model and never retries on its own.
 *
 * <p>Implementations are thread-safe.
 */
public interface EmbeddingProvider {

    /** The configured name of this provider, the left side of a {@link ModelRoute}; never blank. */
    String name();

    /**
     * Embeds {@code texts} with {@code model}.
     *
     * @param texts at least one text; never null
     * @return one vector per text, in input order; never null
     * @throws RateLimitedException when the provider answered HTTP 429
     * @throws ProviderUnavailableException on HTTP 5xx, a timeout or a failed connection
     * @throws ProviderRejectedException on any other refusal
     */
    ProviderEmbeddings embed(String model, List<String> texts, Duration timeout);
}
