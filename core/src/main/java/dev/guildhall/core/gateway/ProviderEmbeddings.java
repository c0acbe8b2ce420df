package dev.guildhall.core.gateway;

import dev.guildhall.core.Checks;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link EmbeddingProvider} got back: one vector per input text, in input order.
 *
 * @param usage the tokens the provider reported, or null when it reported none (the gateway then counts them)
 */
public record ProviderEmbeddings(List<float[]> vectors, @Nullable TokenUsage usage) {
    public ProviderEmbeddings {
        Checks.notNull(vectors, "vectors");
        vectors = List.copyOf(vectors);
    }
}
