package dev.guildhall.knowledge.collection;

import dev.guildhall.core.Checks;
import dev.guildhall.core.gateway.EmbeddingProvider;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The embedding model a collection's vectors come from, with the name and dimension that are stored
 * beside every vector: a collection indexed by one model refuses to be searched with another until
 * it is rebuilt. Vectors are scaled to unit length so the index can use the dot product. Thread-safe
 * when the model is.
 */
public final class Embedder {
    /** Name recorded for LangChain4j's in-process, quantized bge-small-en-v1.5. */
    public static final String BGE_SMALL_EN_V15_Q = "bge-small-en-v1.5-q";

    /** The instruction bge v1.5 recommends in front of short queries that look for passages. */
    public static final String BGE_QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";

    static final int BATCH_SIZE = 32;

    private final Supplier<EmbeddingModel> modelSupplier;
    private volatile @Nullable EmbeddingModel model;
    private final String modelName;
    private final int dimension;
    private final String queryPrefix;

    public Embedder(EmbeddingModel model, String modelName, int dimension, String queryPrefix) {
        this(() -> model, modelName, dimension, queryPrefix);
        Checks.notNull(model, "model");
    }

    /** An embedder that creates its model on first use, so commands that embed nothing start fast. */
    public Embedder(Supplier<EmbeddingModel> model, String modelName, int dimension, String queryPrefix) {
        this.modelSupplier = Checks.notNull(model, "model");
        this.modelName = Checks.notBlank(modelName, "modelName");
        this.dimension = Checks.positive(dimension, "dimension");
        this.queryPrefix = Checks.notNull(queryPrefix, "queryPrefix");
    }

    /** The production default: bge-small-en-v1.5, quantized, run in-process by ONNX (384 dimensions). */
    public static Embedder bgeSmallEnV15Quantized() {
        return new Embedder(
                (Supplier<EmbeddingModel>) BgeSmallEnV15QuantizedEmbeddingModel::new,
                BGE_SMALL_EN_V15_Q,
                384,
                BGE_QUERY_INSTRUCTION);
    }

    /**
     * A model served by a gateway embedding provider (OpenAI-compatible, Ollama): vectors are
     * recorded as {@code provider/model}, no query instruction is added, and the dimension is
     * learned by embedding one probe text now, so a wrong URL, key or model fails here.
     */
    public static Embedder remote(EmbeddingProvider provider, String model, Duration timeout) {
        Checks.notNull(provider, "provider");
        Checks.notBlank(model, "model");
        Checks.notNull(timeout, "timeout");
        EmbeddingModel adapter = new EmbeddingModel() {
            @Override
            public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
                List<float[]> vectors = provider.embed(
                                model, segments.stream().map(TextSegment::text).toList(), timeout)
                        .vectors();
                return Response.from(vectors.stream().map(Embedding::from).toList());
            }
        };
        int dimension = adapter.embed("dimension probe").content().dimension();
        return new Embedder(adapter, provider.name() + "/" + model, dimension, "");
    }

    public String modelName() {
        return modelName;
    }

    public int dimension() {
        return dimension;
    }

    /** Embeds passages in batches of {@value #BATCH_SIZE}; one unit vector per text, in order. */
    public List<float[]> embedPassages(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += BATCH_SIZE) {
            List<TextSegment> batch = texts.subList(from, Math.min(texts.size(), from + BATCH_SIZE)).stream()
                    .map(TextSegment::from)
                    .toList();
            List<Embedding> embeddings = model().embedAll(batch).content();
            if (embeddings.size() != batch.size()) {
                throw new IllegalStateException("embedding model " + modelName + " returned " + embeddings.size()
                        + " vectors for " + batch.size() + " texts");
            }
            for (Embedding e : embeddings) {
                out.add(unit(e.vector()));
            }
        }
        return out;
    }

    public float[] embedQuery(String query) {
        return unit(model().embed(queryPrefix + query).content().vector());
    }

    private EmbeddingModel model() {
        EmbeddingModel m = model;
        if (m == null) {
            synchronized (this) {
                m = model;
                if (m == null) {
                    m = Checks.notNull(modelSupplier.get(), "model");
                    model = m;
                }
            }
        }
        return m;
    }

    private float[] unit(float[] vector) {
        if (vector.length != dimension) {
            throw new IllegalStateException("embedding model " + modelName + " was declared with " + dimension
                    + " dimensions but returned " + vector.length);
        }
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        float[] out = new float[vector.length];
        if (norm == 0) {
            out[0] = 1f;
            return out;
        }
        for (int i = 0; i < vector.length; i++) {
            out[i] = (float) (vector[i] / norm);
        }
        return out;
    }

    @Override
    public String toString() {
        return modelName + " (" + dimension + " dimensions)";
    }
}
