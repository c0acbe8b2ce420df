package dev.guildhall.core.gateway;

import java.time.Duration;

/**
 * The port a chat model backend implements so that the {@link RoutingModelGateway} can reach it:
 * OpenAI and OpenAI-compatible servers, Anthropic, Ollama. A provider only talks to its model; routing,
 * retries, fallback, caching, budgets and cost accounting belong to the gateway, so implementations
 * must not retry on their own.
 *
 * <p>Implementations are thread-safe: the gateway calls them from many threads at once.
 */
public interface ChatProvider {

    /** The configured name of this provider, the left side of a {@link ModelRoute}; never blank. */
    String name();

    /**
     * Sends one request to {@code model} and waits for the complete answer.
     *
     * @param model the model name as the provider knows it; never blank
     * @param request the request; never null
     * @param timeout how long to wait for the answer before giving up; positive
     * @return the answer; never null
     * @throws RateLimitedException when the provider answered HTTP 429
     * @throws ProviderUnavailableException on HTTP 5xx, a timeout or a failed connection
     * @throws ProviderRejectedException on any other refusal (bad key, unknown model, invalid request)
     */
    ProviderResult chat(String model, ChatRequest request, Duration timeout);

    /**
     * Sends one request to {@code model}, hands the answer's text to {@code listener} as it arrives
     * and returns the complete answer once the stream ends. The usage is the one the provider
     * reported at the end of the stream, or null when it reported none.
     *
     * <p>Once this method has returned or thrown (a timeout or an interrupt included), the listener must
     * not be called again, even if the provider's stream goes on: cancel it, and drop what still arrives.
     *
     * @param listener receives partial text on the provider's thread; never null
     * @throws RateLimitedException when the provider answered HTTP 429
     * @throws ProviderUnavailableException on HTTP 5xx, a timeout, a failed connection or a broken stream
     * @throws ProviderRejectedException on any other refusal
     */
    ProviderResult stream(String model, ChatRequest request, StreamListener listener, Duration timeout);
}
