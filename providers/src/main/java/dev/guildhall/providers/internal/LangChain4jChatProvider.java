package dev.guildhall.providers.internal;

import dev.guildhall.core.Checks;
import dev.guildhall.core.gateway.ChatProvider;
import dev.guildhall.core.gateway.ChatRequest;
import dev.guildhall.core.gateway.ProviderResult;
import dev.guildhall.core.gateway.ProviderUnavailableException;
import dev.guildhall.core.gateway.StreamListener;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The shared part of the LangChain4j chat providers: one LangChain4j model per timeout (the model
 * name travels with each request), conversion both ways, waiting for streams, and error mapping.
 * Subclasses only build the provider's LangChain4j models, with LangChain4j's retries turned off
 * because the gateway owns retries.
 */
public abstract class LangChain4jChatProvider implements ChatProvider {
    private final String name;
    private final ConcurrentHashMap<Duration, ChatModel> chatModels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Duration, StreamingChatModel> streamingModels = new ConcurrentHashMap<>();

    protected LangChain4jChatProvider(String name) {
        this.name = Checks.notBlank(name, "name");
    }

    /** A LangChain4j chat model whose HTTP timeouts are {@code timeout} and which never retries. */
    protected abstract ChatModel createChatModel(Duration timeout);

    /** A LangChain4j streaming chat model whose HTTP timeouts are {@code timeout}. */
    protected abstract StreamingChatModel createStreamingModel(Duration timeout);

    /** The LangChain4j request for {@code request}; a provider overrides it to adapt requests to particular models. */
    protected dev.langchain4j.model.chat.request.ChatRequest toLangChain4j(String model, ChatRequest request) {
        return LangChain4jMapping.toLangChain4j(model, request);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final ProviderResult chat(String model, ChatRequest request, Duration timeout) {
        Checks.notBlank(model, "model");
        Checks.positive(timeout, "timeout");
        try {
            ChatResponse response = chatModels.computeIfAbsent(timeout, this::createChatModel).chat(toLangChain4j(model, request));
            return LangChain4jMapping.fromLangChain4j(response);
        } catch (RuntimeException e) {
            throw ProviderErrorMapper.map(name, e, timeout);
        }
    }

    @Override
    public final ProviderResult stream(String model, ChatRequest request, StreamListener listener, Duration timeout) {
        Checks.notBlank(model, "model");
        Checks.notNull(listener, "listener");
        Checks.positive(timeout, "timeout");
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        AtomicReference<StreamingHandle> handle = new AtomicReference<>();
        StreamingChatResponseHandler handler = new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                handle.compareAndSet(null, context.streamingHandle());
                if (!done.isDone() && partial.text() != null && !partial.text().isEmpty()) {
                    listener.onPartialText(partial.text());
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        };
        try {
            streamingModels.computeIfAbsent(timeout, this::createStreamingModel).chat(toLangChain4j(model, request), handler);
            return LangChain4jMapping.fromLangChain4j(done.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            cancel(handle.get());
            throw ProviderUnavailableException.timedOut(name, timeout, e);
        } catch (InterruptedException e) {
            cancel(handle.get());
            Thread.currentThread().interrupt();
            throw new ProviderUnavailableException(name, ProviderUnavailableException.NO_STATUS, "interrupted while streaming", e);
        } catch (ExecutionException e) {
            throw ProviderErrorMapper.map(name, e.getCause(), timeout);
        } catch (RuntimeException e) {
            throw ProviderErrorMapper.map(name, e, timeout);
        }
    }

    private static void cancel(StreamingHandle handle) {
        if (handle != null) {
            try {
                handle.cancel();
            } catch (RuntimeException ignored) {
                // Some streams cannot be cancelled; the HTTP timeout ends them.
            }
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + "]";
    }
}
