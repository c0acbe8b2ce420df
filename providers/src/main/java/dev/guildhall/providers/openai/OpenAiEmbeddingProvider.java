package dev.guildhall.providers.openai;

import dev.guildhall.core.Checks;
import dev.guildhall.providers.internal.LangChain4jEmbeddingProvider;
import dev.guildhall.providers.internal.RetryAfterAwareHttpClient;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Embeddings through the OpenAI {@code /embeddings} API or a compatible server. */
public final class OpenAiEmbeddingProvider extends LangChain4jEmbeddingProvider {
    private final String baseUrl;
    private final @Nullable String apiKey;

    public OpenAiEmbeddingProvider(String name, @Nullable String baseUrl, @Nullable String apiKey) {
        super(name);
        this.baseUrl = baseUrl == null ? OpenAiChatProvider.DEFAULT_BASE_URL : Checks.notBlank(baseUrl, "baseUrl");
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
    }

    @Override
    protected EmbeddingModel createModel(String model, Duration timeout) {
        return OpenAiEmbeddingModel.builder()
                .httpClientBuilder(RetryAfterAwareHttpClient.builder())
                .baseUrl(baseUrl)
                .apiKey(apiKey)
                .modelName(model)
                .timeout(timeout)
                .maxRetries(0)
                .build();
    }
}
