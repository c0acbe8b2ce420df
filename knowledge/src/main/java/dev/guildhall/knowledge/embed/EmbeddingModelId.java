package dev.guildhall.knowledge.embed;

import dev.guildhall.core.Checks;

/**
 * Which model made a vector and how long its vectors are. Stored next to every vector (and in a
 * trained router) so that vectors of different models are never compared.
 */
public record EmbeddingModelId(String name, int dimension) {
    public EmbeddingModelId {
        Checks.notBlank(name, "name");
        Checks.positive(dimension, "dimension");
    }

    @Override
    public String toString() {
        return name + "/" + dimension;
    }
}
