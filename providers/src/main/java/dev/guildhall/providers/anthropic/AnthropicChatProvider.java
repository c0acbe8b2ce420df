package dev.guildhall.providers.anthropic;

import dev.guildhall.core.Checks;
import dev.guildhall.providers.internal.LangChain4jChatProvider;
import dev.guildhall.providers.internal.RetryAfterAwareHttpClient;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Chat through the Anthropic Messages API; streamed usage comes from {@code message_start} and {@code message_delta}. */
public final class AnthropicChatProvider extends LangChain4jChatProvider {
    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com/v1/";

    private final String baseUrl;
    private final String apiKey;

    /** @param baseUrl the API root ending in {@code /v1/}; null for Anthropic's */
    public AnthropicChatProvider(String name, @Nullable String baseUrl, String apiKey) {
        super(name);
        this.baseUrl = baseUrl == null ? DEFAULT_BASE_URL : Checks.notBlank(baseUrl, "baseUrl");
        this.apiKey = Checks.notBlank(apiKey, "apiKey");
    }

    @Override
    protected ChatModel createChatModel(Duration timeout) {
        return AnthropicChatModel.builder()
                .httpClientBuilder(RetryAfterAwareHttpClient.builder())
                .baseUrl(baseUrl)
                .apiKey(apiKey)
                .timeout(timeout)
                .maxRetries(0)
                .build();
    }

    @Override
    protected StreamingChatModel createStreamingModel(Duration timeout) {
        return AnthropicStreamingChatModel.builder()
                .httpClientBuilder(RetryAfterAwareHttpClient.builder())
                .baseUrl(baseUrl)
                .apiKey(apiKey)
                .timeout(timeout)
                .build();
    }
}
