package dev.guildhall.providers.internal;

import static dev.langchain4j.http.client.sse.ServerSentEventListenerUtils.ignoringExceptions;

import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A LangChain4j {@link HttpClient} on the JDK's client that, unlike LangChain4j's own, keeps the
 * {@code Retry-After} (or {@code retry-after-ms}) header of error responses in a {@link
 * ProviderHttpException}. Otherwise it behaves like LangChain4j's {@code JdkHttpClient}: the read
 * timeout bounds the wait for the response headers, and streamed bodies go to the given parser.
 * Multipart form uploads are not supported because no chat or embedding call uses them.
 */
public final class RetryAfterAwareHttpClient implements HttpClient {
    private final java.net.http.HttpClient delegate;
    private final @Nullable Duration readTimeout;

    private RetryAfterAwareHttpClient(Builder builder) {
        java.net.http.HttpClient.Builder b = java.net.http.HttpClient.newBuilder();
        if (builder.connectTimeout != null) {
            b.connectTimeout(builder.connectTimeout);
        }
        this.delegate = b.build();
        this.readTimeout = builder.readTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        try {
            java.net.http.HttpResponse<byte[]> response =
                    delegate.send(toJdkRequest(request), BodyHandlers.ofByteArray());
            if (!isSuccessful(response.statusCode())) {
                throw error(
                        response.statusCode(), new String(response.body(), StandardCharsets.UTF_8), response.headers());
            }
            return SuccessfulHttpResponse.builder()
                    .statusCode(response.statusCode())
                    .headers(response.headers().map())
                    .body(response.body())
                    .build();
        } catch (HttpTimeoutException e) {
            throw new TimeoutException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + request.url(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        delegate.sendAsync(toJdkRequest(request), BodyHandlers.ofInputStream())
                .thenAccept(response -> {
                    if (!isSuccessful(response.statusCode())) {
                        ProviderHttpException error =
                                error(response.statusCode(), readBody(response.body()), response.headers());
                        ignoringExceptions(() -> listener.onError(error));
                        return;
                    }
                    SuccessfulHttpResponse opened = SuccessfulHttpResponse.builder()
                            .statusCode(response.statusCode())
                            .headers(response.headers().map())
                            .build();
                    ignoringExceptions(() -> listener.onOpen(opened));
                    try (InputStream body = response.body()) {
                        parser.parse(body, listener);
                        ignoringExceptions(listener::onClose);
                    } catch (IOException e) {
                        ignoringExceptions(() -> listener.onError(e));
                    }
                })
                .exceptionally(failure -> {
                    Throwable cause = failure.getCause() == null ? failure : failure.getCause();
                    Throwable reported = cause instanceof HttpTimeoutException ? new TimeoutException(cause) : cause;
                    ignoringExceptions(() -> listener.onError(reported));
                    return null;
                });
    }

    private java.net.http.HttpRequest toJdkRequest(HttpRequest request) {
        if (!request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty()) {
            throw new UnsupportedOperationException(
                    "multipart requests are not supported by " + getClass().getSimpleName());
        }
        java.net.http.HttpRequest.Builder builder =
                java.net.http.HttpRequest.newBuilder().uri(URI.create(request.url()));
        request.headers().forEach((name, values) -> {
            if (values != null) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        builder.method(
                request.method().name(),
                request.body() == null
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(request.body()));
        if (readTimeout != null) {
            builder.timeout(readTimeout);
        }
        return builder.build();
    }

    private static boolean isSuccessful(int status) {
        return status >= 200 && status < 300;
    }

    private static ProviderHttpException error(int status, String body, HttpHeaders headers) {
        return new ProviderHttpException(status, body, retryAfter(headers).orElse(null));
    }

    /** Reads {@code retry-after-ms} (milliseconds) or {@code Retry-After} (seconds); an HTTP date is ignored. */
    static Optional<Duration> retryAfter(HttpHeaders headers) {
        Optional<String> millis = headers.firstValue("retry-after-ms");
        if (millis.isPresent()) {
            try {
                return Optional.of(Duration.ofMillis(
                        Math.max(0, (long) Double.parseDouble(millis.get().trim()))));
            } catch (NumberFormatException ignored) {
                // Fall through to Retry-After.
            }
        }
        Optional<String> seconds = headers.firstValue("retry-after");
        if (seconds.isPresent()) {
            try {
                return Optional.of(Duration.ofMillis(
                        Math.max(0, (long) (Double.parseDouble(seconds.get().trim()) * 1000))));
            } catch (NumberFormatException ignored) {
                // An HTTP date: rare for model APIs; the retry policy's backoff applies instead.
            }
        }
        return Optional.empty();
    }

    private static String readBody(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "cannot read the error body: " + e.getMessage();
        }
    }

    /** Builds the client; LangChain4j's model builders set the timeouts. */
    public static final class Builder implements HttpClientBuilder {
        private @Nullable Duration connectTimeout;
        private @Nullable Duration readTimeout;

        private Builder() {}

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        @Override
        public RetryAfterAwareHttpClient build() {
            return new RetryAfterAwareHttpClient(this);
        }
    }
}
