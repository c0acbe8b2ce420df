package dev.guildhall.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.GuildhallException;
import dev.guildhall.core.gateway.ProviderRejectedException;
import dev.guildhall.core.gateway.ProviderUnavailableException;
import dev.guildhall.core.gateway.RateLimitedException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.anthropic.internal.api.AnthropicStreamingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ProviderErrorMapperTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void maps_http_statuses_found_anywhere_in_the_cause_chain() {
        assertThat(map(new RateLimitException(new ProviderHttpException(
                        429, "{\"error\":{\"message\":\"slow down\"}}", Duration.ofSeconds(7)))))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.retryAfter())
                        .contains(Duration.ofSeconds(7)))
                .hasMessage("Provider p rate-limited the call (HTTP 429, retry after PT7S): slow down");
        assertThat(map(new InternalServerException(new HttpException(502, "<html>Bad Gateway</html>"))))
                .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> assertThat(e.statusCode())
                        .isEqualTo(502))
                .hasMessage("Provider p unavailable (HTTP 502): <html>Bad Gateway</html>");
        assertThat(map(new HttpException(408, "request timeout"))).isInstanceOf(ProviderUnavailableException.class);
        assertThat(map(new HttpException(
                        529,
                        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")))
                .hasMessage("Provider p unavailable (HTTP 529): Overloaded");
        assertThat(map(new HttpException(404, "{\"error\":\"model 'x' not found\"}")))
                .isInstanceOfSatisfying(ProviderRejectedException.class, e -> assertThat(e.statusCode())
                        .isEqualTo(404))
                .hasMessage("Provider p rejected the call (HTTP 404): model 'x' not found");
    }

    @Test
    void maps_failures_without_a_status() {
        assertThat(map(new RateLimitException("quota")))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.retryAfter())
                        .isEmpty());
        assertThat(map(new TimeoutException("read timed out")))
                .hasMessage("Provider p unavailable: timed out after PT5S");
        assertThat(map(new CompletionException(new UncheckedIOException(new ConnectException("Connection refused")))))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessage("Provider p unavailable: connection failed: ConnectException: Connection refused");
        assertThat(map(new ContentFilteredException("refused"))).isInstanceOf(ProviderRejectedException.class);
    }

    @Test
    void programming_errors_are_rejected_without_retry() {
        assertThat(map(new IllegalArgumentException("temperature must be between 0.0 and 2.0")))
                .isInstanceOf(ProviderRejectedException.class)
                .hasMessage(
                        "Provider p rejected the call: unexpected error: IllegalArgumentException: temperature must be between 0.0 and 2.0");
        assertThat(map(new IllegalStateException("odd"))).isInstanceOf(ProviderRejectedException.class);
        assertThat(map(new NullPointerException("model"))).isInstanceOf(ProviderRejectedException.class);
        assertThat(map(new CompletionException(new UnsupportedOperationException("no tools"))))
                .isInstanceOf(ProviderRejectedException.class);
    }

    @Test
    void unknown_failures_from_io_or_time_stay_retryable() {
        assertThat(map(new IllegalStateException("stream broke", new IOException("connection reset"))))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessage("Provider p unavailable: connection failed: IOException: connection reset");
        assertThat(map(new UncheckedIOException(new IOException("broken pipe"))))
                .isInstanceOf(ProviderUnavailableException.class);
        assertThat(map(new IllegalStateException("gave up", new java.util.concurrent.TimeoutException())))
                .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> assertThat(e.abandoned())
                        .isTrue());
        assertThat(map(new RuntimeException("something else")))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessage("Provider p unavailable: unexpected error: RuntimeException: something else");
    }

    @Test
    void maps_anthropic_stream_error_events_by_type() {
        assertThat(map(new AnthropicStreamingException("Overloaded", "overloaded_error")))
                .isInstanceOf(ProviderUnavailableException.class);
        assertThat(map(new AnthropicStreamingException("Slow down", "rate_limit_error")))
                .isInstanceOf(RateLimitedException.class);
        assertThat(map(new AnthropicStreamingException("bad", "invalid_request_error")))
                .isInstanceOf(ProviderRejectedException.class);
    }

    @Test
    void passes_guildhall_exceptions_through_and_shortens_long_bodies() {
        RateLimitedException ours = new RateLimitedException("p", null, "x");
        assertThat(map(new CompletionException(ours))).isSameAs(ours);
        assertThat(ProviderErrorMapper.detail("x".repeat(1_000))).hasSize(301);
        assertThat(ProviderErrorMapper.detail(null)).isEqualTo("(no details)");
    }

    @Test
    void reads_retry_after_in_seconds_or_milliseconds() {
        assertThat(RetryAfterAwareHttpClient.retryAfter(headers(Map.of("Retry-After", List.of("3")))))
                .contains(Duration.ofSeconds(3));
        assertThat(RetryAfterAwareHttpClient.retryAfter(
                        headers(Map.of("retry-after-ms", List.of("250"), "Retry-After", List.of("1")))))
                .contains(Duration.ofMillis(250));
        assertThat(RetryAfterAwareHttpClient.retryAfter(
                        headers(Map.of("Retry-After", List.of("Wed, 21 Oct 2015 07:28:00 GMT")))))
                .isEmpty();
        assertThat(RetryAfterAwareHttpClient.retryAfter(headers(Map.of()))).isEmpty();
    }

    private static GuildhallException map(Throwable t) {
        return ProviderErrorMapper.map("p", t, TIMEOUT);
    }

    private static HttpHeaders headers(Map<String, List<String>> map) {
        return HttpHeaders.of(map, (a, b) -> true);
    }
}
