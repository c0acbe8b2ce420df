package dev.guildhall.knowledge.embed;

import java.util.List;

/**
 * Turns texts into vectors with one model. Implementations are thread-safe.
 *
 * <p>Vectors are L2-normalised, so the dot product of two vectors is their cosine similarity.
 * Callers must not modify the arrays they receive.
 */
public interface EmbeddingService {

    /** The model every vector of this service comes from; never null. */
    EmbeddingModelId modelId();

    /** The vector of one text; never null, {@link EmbeddingModelId#dimension()} long. */
    float[] embed(String text);

    /**
     * The vectors of {@code texts}, in input order. Implementations batch and cache as they see
     * fit; the result is the same as calling {@link #embed} on each text.
     */
    List<float[]> embedAll(List<String> texts);
}
