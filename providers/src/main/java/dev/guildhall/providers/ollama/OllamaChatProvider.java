package dev.guildhall.providers.ollama;

import dev.guildhall.core.Checks;
import dev.guildhall.providers.internal.LangChain4jChatProvider;
import dev.guildhall.providers.internal.RetryAfterAwareHttpClient;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Chat through Ollama's native {@code /api/chat}; usage comes from {@code prompt_eval_count} and {@code eval_count}. */
public final class OllamaChatProvider extends LangChain4jChatProvider {
    public static final String DEFAULT_BASE_URL = "http://localhost:11434";

    private final String baseUrl;

    /** @param baseUrl the server root, e.g. {@code http://localhost:11434}; null for that default */
    public OllamaChatProvider(String name, @Nullable String baseUrl) {
        super(name);
        this.baseUrl = baseUrl == null ? DEFAULT_BASE_URL : Checks.notBlank(baseUrl, "baseUrl");
    }

    @Override
    protected ChatModel createChatModel(Duration timeout) {
        return OllamaChatModel.builder()
                .httpClientBuilder(RetryAfterAwareHttpClient.builder())
                .baseUrl(baseUrl)
                .timeout(timeout)
                .maxRetries(0)
                .build();
    }

    @Override
    protected StreamingChatModel createStreamingModel(Duration timeout) {
        return OllamaStreamingChatModel.builder()
                .httpClientBuilder(RetryAfterAwareHttpClient.builder())
                .baseUrl(baseUrl)
                .timeout(timeout)
                .build();
    }
}
