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
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
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
            ChatResponse response =
                    chatModels.computeIfAbsent(timeout, this::createChatModel).chat(toLangChain4j(model, request));
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
        Stream stream = new Stream(listener);
        try {
            streamingModels
                    .computeIfAbsent(timeout, this::createStreamingModel)
                    .chat(toLangChain4j(model, request), stream);
            return LangChain4jMapping.fromLangChain4j(stream.done.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            stream.close();
            throw ProviderUnavailableException.timedOut(name, timeout, e);
        } catch (InterruptedException e) {
            stream.close();
            Thread.currentThread().interrupt();
            throw ProviderUnavailableException.interrupted(name, "interrupted while streaming", e);
        } catch (ExecutionException e) {
            throw ProviderErrorMapper.map(name, e.getCause(), timeout);
        } catch (RuntimeException e) {
            stream.close();
            throw ProviderErrorMapper.map(name, e, timeout);
        }
    }

    /**
     * One streamed call: forwards partial text to the listener until the answer is complete or the
     * call is {@link #close() closed}. A stream given up on before its first partial has no handle yet,
     * so it is cancelled when the handle arrives; either way no text reaches the listener after close.
     */
    private static final class Stream implements StreamingChatResponseHandler {
        final CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        private final StreamListener listener;
        private final AtomicReference<StreamingHandle> handle = new AtomicReference<>();
        private final Object lock = new Object();
        private boolean closed;

        Stream(StreamListener listener) {
            this.listener = listener;
        }

        @Override
        public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
            if (!keep(context.streamingHandle())) {
                return;
            }
            String text = partial.text();
            if (text == null || text.isEmpty()) {
                return;
            }
            // Delivering under the lock that close() takes guarantees nothing is delivered once close() has returned.
            synchronized (lock) {
                if (!closed && !done.isDone()) {
                    listener.onPartialText(text);
                }
            }
        }

        @Override
        public void onPartialThinking(PartialThinking thinking, PartialThinkingContext context) {
            keep(context.streamingHandle());
        }

        @Override
        public void onPartialToolCall(PartialToolCall toolCall, PartialToolCallContext context) {
            keep(context.streamingHandle());
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            done.complete(response);
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }

        /** Remembers the stream's handle; false, after cancelling the stream, when the call is already closed. */
        private boolean keep(StreamingHandle streamingHandle) {
            handle.compareAndSet(null, streamingHandle);
            synchronized (lock) {
                if (!closed) {
                    return true;
                }
            }
            cancel(streamingHandle);
            return false;
        }

        /** Ends the call: stops forwarding text and cancels the stream now, or as soon as its handle arrives. */
        void close() {
            synchronized (lock) {
                closed = true;
            }
            cancel(handle.get());
        }
    }

    private static void cancel(StreamingHandle handle) {
        if (handle != null) {
            try {
                if (!handle.isCancelled()) {
                    handle.cancel();
                }
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
