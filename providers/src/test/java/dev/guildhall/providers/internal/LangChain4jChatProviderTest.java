package dev.guildhall.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.guildhall.core.gateway.ChatMessage;
import dev.guildhall.core.gateway.ChatRequest;
import dev.guildhall.core.gateway.ProviderUnavailableException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The stream bookkeeping of {@link LangChain4jChatProvider} against an in-process LangChain4j model
 * that the test drives by hand, so that partial answers can arrive after the provider gave up.
 */
class LangChain4jChatProviderTest {
    private static final ChatRequest QUESTION = ChatRequest.of(ChatMessage.user("Capital of France?"));
    private static final Duration SHORT = Duration.ofMillis(50);

    private final HandDrivenModel model = new HandDrivenModel();
    private final LangChain4jChatProvider provider = new LangChain4jChatProvider("p") {
        @Override
        protected ChatModel createChatModel(Duration timeout) {
            throw new UnsupportedOperationException("this test only streams");
        }

        @Override
        protected StreamingChatModel createStreamingModel(Duration timeout) {
            return model;
        }
    };
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @Test
    void
            a_stream_that_timed_out_before_its_first_partial_is_cancelled_when_the_partial_arrives_and_never_reaches_the_listener() {
        assertThatThrownBy(() -> provider.stream("m", QUESTION, seen::add, SHORT))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessage("Provider p unavailable: timed out after PT0.05S");
        RecordingHandle handle = new RecordingHandle();

        model.handler().onPartialResponse(new PartialResponse("late text"), new PartialResponseContext(handle));
        model.handler().onPartialResponse(new PartialResponse("more late text"), new PartialResponseContext(handle));

        assertThat(seen).isEmpty();
        assertThat(handle.isCancelled()).isTrue();
    }

    @Test
    void a_stream_that_timed_out_after_some_text_is_cancelled_and_forwards_nothing_more() {
        RecordingHandle handle = new RecordingHandle();
        model.onChat(handler ->
                handler.onPartialResponse(new PartialResponse("The capital "), new PartialResponseContext(handle)));

        assertThatThrownBy(() -> provider.stream("m", QUESTION, seen::add, SHORT))
                .isInstanceOf(ProviderUnavailableException.class);
        model.handler().onPartialResponse(new PartialResponse("is Paris."), new PartialResponseContext(handle));

        assertThat(seen).containsExactly("The capital ");
        assertThat(handle.isCancelled()).isTrue();
    }

    @Test
    void an_interrupted_stream_forwards_nothing_more() throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                provider.stream("m", QUESTION, seen::add, Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        caller.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> model.handler.get() != null);

        caller.interrupt();
        caller.join(Duration.ofSeconds(5).toMillis());
        RecordingHandle handle = new RecordingHandle();
        model.handler().onPartialResponse(new PartialResponse("late text"), new PartialResponseContext(handle));

        assertThat(failure.get())
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("interrupted while streaming");
        assertThat(seen).isEmpty();
        assertThat(handle.isCancelled()).isTrue();
    }

    /** A streaming model that keeps the handler it was given, so that the test can answer whenever it likes. */
    private static final class HandDrivenModel implements StreamingChatModel {
        final AtomicReference<StreamingChatResponseHandler> handler = new AtomicReference<>();
        private volatile Consumer<StreamingChatResponseHandler> onChat = h -> {};

        void onChat(Consumer<StreamingChatResponseHandler> action) {
            this.onChat = action;
        }

        StreamingChatResponseHandler handler() {
            return handler.get();
        }

        @Override
        public void chat(dev.langchain4j.model.chat.request.ChatRequest request, StreamingChatResponseHandler h) {
            onChat.accept(h);
            handler.set(h);
        }
    }

    private static final class RecordingHandle implements StreamingHandle {
        private volatile boolean cancelled;

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }
}
