package dev.guildhall.providers.internal;

import dev.guildhall.core.Checks;
import dev.guildhall.core.gateway.EmbeddingProvider;
import dev.guildhall.core.gateway.ProviderEmbeddings;
import dev.guildhall.core.gateway.TokenUsage;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared part of the LangChain4j embedding providers: one LangChain4j model per model name and
 * timeout, conversion and error mapping. Subclasses build the models with retries turned off.
 */
public abstract class LangChain4jEmbeddingProvider implements EmbeddingProvider {
    private final String name;
    private final ConcurrentHashMap<ModelKey, EmbeddingModel> models = new ConcurrentHashMap<>();

    private record ModelKey(String model, Duration timeout) {}

    protected LangChain4jEmbeddingProvider(String name) {
        this.name = Checks.notBlank(name, "name");
    }

    /** A LangChain4j embedding model for {@code model} whose HTTP timeouts are {@code timeout} and which never retries. */
    protected abstract EmbeddingModel createModel(String model, Duration timeout);

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final ProviderEmbeddings embed(String model, List<String> texts, Duration timeout) {
        Checks.notBlank(model, "model");
        Checks.notEmpty(texts, "texts");
        Checks.positive(timeout, "timeout");
        try {
            Response<List<Embedding>> response = models.computeIfAbsent(
                            new ModelKey(model, timeout), k -> createModel(k.model(), k.timeout()))
                    .embedAll(texts.stream().map(TextSegment::from).toList());
            List<float[]> vectors =
                    response.content().stream().map(Embedding::vector).toList();
            dev.langchain4j.model.output.TokenUsage usage = response.tokenUsage();
            Integer input = usage == null ? null : usage.inputTokenCount();
            return new ProviderEmbeddings(
                    vectors, input == null || input == 0 ? null : new TokenUsage(input, 0, false));
        } catch (RuntimeException e) {
            throw ProviderErrorMapper.map(name, e, timeout);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + "]";
    }
}
