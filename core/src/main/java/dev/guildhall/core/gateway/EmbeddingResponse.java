package dev.guildhall.core.gateway;

import dev.guildhall.core.Checks;
import java.util.List;

/**
 * Vectors for a batch of texts, in input order, with the model that made them. A stored vector
 * keeps {@code model} and {@code dimension} so that a model change forces a re-index.
 */
public record EmbeddingResponse(List<float[]> vectors, String provider, String model, int dimension, TokenUsage usage) {
    public EmbeddingResponse {
        vectors = List.copyOf(vectors);
        Checks.notBlank(model, "model");
        Checks.notNull(usage, "usage");
    }
}
