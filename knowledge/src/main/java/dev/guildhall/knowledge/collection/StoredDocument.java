package dev.guildhall.knowledge.collection;

import dev.guildhall.core.Checks;
import dev.guildhall.knowledge.ingest.DocumentFormat;
import java.util.List;
import java.util.Map;

/**
 * A document as the chunk store keeps it: its chunks and their vectors, with the embedding model's
 * name and dimension so that vectors from different models are never mixed.
 *
 * @param revision increases with every write of any document in the collection; the index records
 *     it per chunk, which is how a crash between the store write and the index commit is detected
 * @param vectors one unit vector per chunk, in chunk order
 */
public record StoredDocument(
        DocumentId id,
        long revision,
        String title,
        String source,
        DocumentFormat format,
        Map<String, String> metadata,
        List<Chunk> chunks,
        String model,
        int dimension,
        List<float[]> vectors) {
    public StoredDocument {
        Checks.notNull(id, "id");
        Checks.notNull(title, "title");
        Checks.notNull(source, "source");
        Checks.notNull(format, "format");
        metadata = Map.copyOf(metadata);
        chunks = List.copyOf(chunks);
        Checks.notBlank(model, "model");
        Checks.positive(dimension, "dimension");
        vectors = List.copyOf(vectors);
        if (vectors.size() != chunks.size()) {
            throw new IllegalArgumentException(
                    "vectors must be one per chunk (" + chunks.size() + "), was " + vectors.size());
        }
        for (float[] v : vectors) {
            if (v.length != dimension) {
                throw new IllegalArgumentException("vector length must be " + dimension + ", was " + v.length);
            }
        }
    }

    /** Whether the vectors come from {@code embedder}'s model. */
    public boolean embeddedBy(Embedder embedder) {
        return model.equals(embedder.modelName()) && dimension == embedder.dimension();
    }

    /** The same document with new vectors and a new revision. */
    public StoredDocument withVectors(long newRevision, Embedder embedder, List<float[]> newVectors) {
        return new StoredDocument(
                id,
                newRevision,
                title,
                source,
                format,
                metadata,
                chunks,
                embedder.modelName(),
                embedder.dimension(),
                newVectors);
    }
}
