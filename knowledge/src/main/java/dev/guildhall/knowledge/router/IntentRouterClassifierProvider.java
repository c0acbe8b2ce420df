package dev.guildhall.knowledge.router;

import dev.guildhall.core.classify.ClassifierProvider;
import dev.guildhall.core.classify.ClassifierSpec;
import dev.guildhall.core.classify.ProvidedClassifier;
import dev.guildhall.knowledge.embed.EmbeddingService;
import dev.guildhall.knowledge.embed.InProcessEmbeddingService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The trained {@link IntentRouter} as a router step's classifier (found by core through {@link
 * java.util.ServiceLoader}):
 *
 * <ul>
 *   <li>{@code classifier: {model: router.bin}} loads a router saved by {@code guildhall router train};
 *   <li>{@code classifier: {examples: intents.csv}} trains one from a {@code text,label} CSV when the
 *       workflow loads ({@code oosLabel} names the out-of-scope label, default {@code oos}).
 * </ul>
 *
 * <p>Paths are relative to the workflow file. Routers are kept per file and modification time, so
 * a process that loads the same workflow twice (or two workflows naming the same file) loads or trains
 * its router once. The bundled
 * embedding model is loaded on first use and shared.
 */
public final class IntentRouterClassifierProvider implements ClassifierProvider {
    private static final List<String> KEYS = List.of("model", "examples", "oosLabel");

    /**
     * Routers of the bundled model, shared by every instance: the ServiceLoader makes a new provider
     * for each workflow file loaded, and a router should be loaded (or trained) once per process.
     */
    private static final Map<Key, IntentRouter> SHARED = new ConcurrentHashMap<>();

    private final Supplier<EmbeddingService> embeddings;
    private final Map<Key, IntentRouter> routers;

    private record Key(Path file, String kind, String oosLabel, long modified, long size) {}

    /** The ServiceLoader's constructor: the bundled bge-small-en-v1.5-q model, loaded on first use. */
    public IntentRouterClassifierProvider() {
        this(SharedEmbeddings::get, SHARED);
    }

    /** A provider with its own embedding service (and its own router cache). */
    public IntentRouterClassifierProvider(Supplier<EmbeddingService> embeddings) {
        this(embeddings, new ConcurrentHashMap<>());
    }

    private IntentRouterClassifierProvider(Supplier<EmbeddingService> embeddings, Map<Key, IntentRouter> routers) {
        this.embeddings = embeddings;
        this.routers = routers;
    }

    private static final class SharedEmbeddings {
        private static final EmbeddingService INSTANCE = InProcessEmbeddingService.bgeSmallEnV15Quantized();

        static EmbeddingService get() {
            return INSTANCE;
        }
    }

    @Override
    public List<String> keys() {
        return KEYS;
    }

    @Override
    public ProvidedClassifier create(ClassifierSpec spec) {
        String model = spec.settings().get("model");
        String examples = spec.settings().get("examples");
        if ((model == null) == (examples == null)) {
            throw new IllegalArgumentException(
                    "a trained classifier needs exactly one of model (a file from guildhall router train) "
                            + "or examples (a text,label CSV file)");
        }
        String oosLabel = spec.settings().getOrDefault("oosLabel", TrainingOptions.DEFAULT_OOS_LABEL);
        if (model != null && spec.settings().containsKey("oosLabel")) {
            throw new IllegalArgumentException("oosLabel only applies to examples; a model file keeps its own");
        }
        Path file = spec.resolve(model != null ? model : examples);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    (model != null ? "model" : "examples") + " file " + file + " does not exist");
        }
        Key key;
        try {
            key = new Key(
                    file.toRealPath(),
                    model != null ? "model" : "examples",
                    oosLabel,
                    Files.getLastModifiedTime(file).toMillis(),
                    Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        IntentRouter router = routers.computeIfAbsent(
                key,
                k -> model != null
                        ? IntentRouter.load(k.file(), embeddings.get())
                        : IntentRouter.train(LabelledCsv.read(k.file()), k.oosLabel(), embeddings.get()));
        return new ProvidedClassifier(router, router.labels());
    }
}
