package dev.guildhall.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.GuildhallException;
import dev.guildhall.core.gateway.ProviderRejectedException;
import dev.guildhall.core.gateway.ProviderUnavailableException;
import dev.guildhall.core.gateway.RateLimitedException;
import dev.guildhall.core.json.Json;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.anthropic.internal.api.AnthropicStreamingException;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The one place that turns what LangChain4j and the HTTP layer throw into Guildhall's provider
 * errors, so the gateway can decide between retry, fallback and giving up:
 *
 * <ul>
 *   <li>HTTP 429 → {@link RateLimitedException} (with the provider's {@code Retry-After});
 *   <li>HTTP 408, 5xx and 529, timeouts, refused or broken connections → {@link ProviderUnavailableException};
 *   <li>other HTTP 4xx, content filtering, unsupported features → {@link ProviderRejectedException};
 *   <li>programming errors ({@link IllegalArgumentException}, {@link IllegalStateException}, {@link NullPointerException},
 *       {@link UnsupportedOperationException}) not caused by I/O → {@link ProviderRejectedException}, because they
 *       repeat on every attempt; any other unknown failure → {@link ProviderUnavailableException}.
 * </ul>
 *
 * <p>Every message names the provider and, when there was one, the HTTP status, with the provider's
 * own error message rather than its whole JSON body.
 */
public final class ProviderErrorMapper {
    private static final int MAX_DETAIL = 300;

    private ProviderErrorMapper() {}

    /**
     * Maps {@code error}, thrown while {@code provider} handled a call limited to {@code timeout}.
     *
     * @return the Guildhall exception to throw; never null
     */
    public static GuildhallException map(String provider, Throwable error, Duration timeout) {
        Throwable t = unwrap(error);
        if (t instanceof GuildhallException g) {
            return g;
        }
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable c = t; c != null && seen.put(c, Boolean.TRUE) == null; c = c.getCause()) {
            if (c instanceof ProviderHttpException http) {
                return byStatus(
                        provider,
                        http.statusCode(),
                        detail(http.getMessage()),
                        http.retryAfter().orElse(null),
                        t);
            }
            if (c instanceof HttpException http) {
                return byStatus(provider, http.statusCode(), detail(http.getMessage()), null, t);
            }
        }
        seen.clear();
        for (Throwable c = t; c != null && seen.put(c, Boolean.TRUE) == null; c = c.getCause()) {
            if (c instanceof TimeoutException
                    || c instanceof HttpTimeoutException
                    || c instanceof java.util.concurrent.TimeoutException
                    || c instanceof java.net.SocketTimeoutException) {
                return ProviderUnavailableException.timedOut(provider, timeout, t);
            }
            if (c instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                return ProviderUnavailableException.interrupted(provider, "interrupted", t);
            }
            if (c instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                return new ProviderUnavailableException(
                        provider, ProviderUnavailableException.NO_STATUS, "malformed answer: " + describe(c), t);
            }
            if (c instanceof UnresolvedAddressException
                    || c instanceof UnresolvedModelServerException
                    || c instanceof IOException) {
                return new ProviderUnavailableException(
                        provider, ProviderUnavailableException.NO_STATUS, "connection failed: " + describe(c), t);
            }
        }
        // An error event inside an Anthropic stream arrives as this (LangChain4j-internal) type, with Anthropic's error
        // type.
        if (t instanceof AnthropicStreamingException streamed) {
            return byAnthropicType(provider, streamed.type(), detail(streamed.getMessage()), t);
        }
        if (t instanceof RateLimitException) {
            return new RateLimitedException(provider, null, detail(t.getMessage()), t);
        }
        if (t instanceof InternalServerException || t instanceof RetriableException) {
            return new ProviderUnavailableException(
                    provider, ProviderUnavailableException.NO_STATUS, detail(t.getMessage()), t);
        }
        if (t instanceof AuthenticationException
                || t instanceof ModelNotFoundException
                || t instanceof InvalidRequestException
                || t instanceof ContentFilteredException
                || t instanceof UnsupportedFeatureException
                || t instanceof NonRetriableException) {
            return new ProviderRejectedException(provider, ProviderRejectedException.NO_STATUS, describe(t), t);
        }
        // A programming error (LangChain4j refusing the request it was given, a bug on either side) repeats on every
        // attempt.
        if (t instanceof IllegalArgumentException
                || t instanceof IllegalStateException
                || t instanceof NullPointerException
                || t instanceof UnsupportedOperationException) {
            return new ProviderRejectedException(
                    provider, ProviderRejectedException.NO_STATUS, "unexpected error: " + describe(t), t);
        }
        // Anything else (a malformed answer, a stream error event) is treated as the provider's fault and may pass.
        return new ProviderUnavailableException(
                provider, ProviderUnavailableException.NO_STATUS, "unexpected error: " + describe(t), t);
    }

    static GuildhallException byStatus(
            String provider, int status, String detail, @Nullable Duration retryAfter, Throwable cause) {
        if (status == 429) {
            return new RateLimitedException(provider, retryAfter, detail, cause);
        }
        if (status == 408 || status >= 500) {
            return new ProviderUnavailableException(provider, status, detail, cause);
        }
        return new ProviderRejectedException(provider, status, detail, cause);
    }

    private static GuildhallException byAnthropicType(
            String provider, @Nullable String type, String detail, Throwable cause) {
        String t = type == null ? "" : type;
        return switch (t) {
            case "rate_limit_error" -> new RateLimitedException(provider, null, detail, cause);
            case "overloaded_error" -> new ProviderUnavailableException(provider, 529, detail, cause);
            case "api_error" -> new ProviderUnavailableException(provider, 500, detail, cause);
            default ->
                new ProviderRejectedException(provider, ProviderRejectedException.NO_STATUS, t + ": " + detail, cause);
        };
    }

    /** The provider's own message from an error body ({@code error.message}, or Ollama's {@code error}), else the body cut short. */
    static String detail(@Nullable String body) {
        if (body == null || body.isBlank()) {
            return "(no details)";
        }
        String trimmed = body.trim();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode json = Json.parse(trimmed);
                JsonNode error = json.path("error");
                if (error.isTextual()) {
                    return shorten(error.asText());
                }
                if (error.path("message").isTextual()) {
                    return shorten(error.path("message").asText());
                }
            } catch (IllegalArgumentException notJson) {
                // Fall through to the raw text.
            }
        }
        return shorten(trimmed);
    }

    private static String shorten(String text) {
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "…";
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + shorten(message));
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
