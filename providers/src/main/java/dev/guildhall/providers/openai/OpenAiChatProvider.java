package dev.guildhall.providers.openai;

import dev.guildhall.core.Checks;
import dev.guildhall.core.gateway.ChatRequest;
import dev.guildhall.providers.internal.LangChain4jChatProvider;
import dev.guildhall.providers.internal.RetryAfterAwareHttpClient;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Chat through the OpenAI Chat Completions API, or any server that speaks it (vLLM, llama.cpp
 * server, LM Studio, Ollama's {@code /v1}) when given its base URL. Streamed calls ask for usage
 * ({@code stream_options.include_usage}); servers that ignore that get their usage estimated by the gateway.
 *
 * <p>OpenAI's reasoning models ({@code o1}, {@code o3}, {@code o4-mini}, {@code gpt-5}…) refuse {@code
 * max_tokens} and any temperature but the default, so for them the output limit is sent as {@code
 * max_completion_tokens} and the temperature is left out.
 */
public final class OpenAiChatProvider extends LangChain4jChatProvider {
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    private static final Pattern REASONING_MODEL = Pattern.compile("(o\\d|gpt-5)([-.:]|$)");

    private final String baseUrl;
    private final @Nullable String apiKey;

    /**
     * @param baseUrl the API root ending in {@code /v1}; null for OpenAI's
     * @param apiKey sent as a bearer token; null for local servers that need none
     */
    public OpenAiChatProvider(String name, @Nullable String baseUrl, @Nullable String apiKey) {
        super(name);
        this.baseUrl = baseUrl == null ? DEFAULT_BASE_URL : Checks.notBlank(baseUrl, "baseUrl");
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
    }

    /** Whether {@code model} is one of OpenAI's reasoning models, judged by its name. */
    static boolean isReasoningModel(String model) {
        return REASONING_MODEL.matcher(model).lookingAt();
    }

    @Override
    protected dev.langchain4j.model.chat.request.ChatRequest toLangChain4j(String model, ChatRequest request) {
        dev.langchain4j.model.chat.request.ChatRequest base = super.toLangChain4j(model, request);
        if (!isReasoningModel(model)) {
            return base;
        }
        return dev.langchain4j.model.chat.request.ChatRequest.builder()
                .messages(base.messages())
                .parameters(OpenAiChatRequestParameters.builder()
                        .overrideWith(base.parameters())
                        .maxOutputTokens(null)
                        .temperature(null)
                        .maxCompletionTokens(request.maxOutputTokens())
                        .build())
                .build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    @Override
    protected ChatModel createChatModel(Duration timeout) {
        return OpenAiChatModel.builder()
                .httpClientBuilder(RetryAfterAwareHttpClient.builder())
                .baseUrl(baseUrl)
                .apiKey(apiKey)
                .timeout(timeout)
                .maxRetries(0)
                .build();
    }

    @Override
    protected StreamingChatModel createStreamingModel(Duration timeout) {
        return OpenAiStreamingChatModel.builder()
                .httpClientBuilder(RetryAfterAwareHttpClient.builder())
                .baseUrl(baseUrl)
                .apiKey(apiKey)
                .timeout(timeout)
                .build();
    }
}
