package dev.guildhall.providers.ollama;

import dev.guildhall.core.Checks;
import dev.guildhall.providers.internal.LangChain4jEmbeddingProvider;
import dev.guildhall.providers.internal.RetryAfterAwareHttpClient;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Embeddings through Ollama's native {@code /api/embed}. */
public final class OllamaEmbeddingProvider extends LangChain4jEmbeddingProvider {
    private final String baseUrl;

    public OllamaEmbeddingProvider(String name, @Nullable String baseUrl) {
        super(name);
        this.baseUrl = baseUrl == null ? OllamaChatProvider.DEFAULT_BASE_URL : Checks.notBlank(baseUrl, "baseUrl");
    }

    @Override
    protected EmbeddingModel createModel(String model, Duration timeout) {
        return OllamaEmbeddingModel.builder()
                .httpClientBuilder(RetryAfterAwareHttpClient.builder())
                .baseUrl(baseUrl)
                .modelName(model)
                .timeout(timeout)
                .maxRetries(0)
                .build();
    }
}
