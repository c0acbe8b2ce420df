package dev.guildhall.core.gateway;

import java.util.List;

/**
 * The one way agents reach a chat or embedding model. The gateway picks a provider for the call's
 * policy, falls back to the next one on failure, retries rate limits and server errors, checks the
 * budget before spending and records every call in the cost ledger.
 *
 * <p>Implementations are thread-safe. With no provider configured, {@link #chatAvailable()} is
 * false and the chat methods throw {@link ModelUnavailableException}; agents take their
 * deterministic path instead of calling.
 */
public interface ModelGateway {

    /** Whether a chat model is configured for at least one policy. */
    boolean chatAvailable();

    /** Whether an embedding model is configured. */
    boolean embeddingsAvailable();

    /**
     * Sends one chat request.
     *
     * @throws ModelUnavailableException when no provider serves the call's policy
     * @throws dev.guildhall.core.cost.BudgetExceededException when the estimated cost would cross a hard limit
     * @throws dev.guildhall.core.RetryableException when every provider failed with a transient error
     */
    ChatResponse chat(ModelCall call, ChatRequest request);

    /**
     * Sends one chat request and streams the answer to {@code listener}; returns the complete
     * response, whose usage is never zero for a non-empty exchange (estimated when the provider
     * does not report it). Same errors as {@link #chat}.
     */
    ChatResponse chatStreaming(ModelCall call, ChatRequest request, StreamListener listener);

    /** Embeds {@code texts} in one batch, in order. */
    EmbeddingResponse embed(ModelCall call, List<String> texts);

    /** A gateway with no provider: it says so instead of pretending. */
    static ModelGateway disabled() {
        return DisabledModelGateway.INSTANCE;
    }
}
