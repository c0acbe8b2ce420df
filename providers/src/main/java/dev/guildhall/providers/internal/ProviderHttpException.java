package dev.guildhall.providers.internal;

import dev.langchain4j.exception.HttpException;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * LangChain4j's {@link HttpException} plus the {@code Retry-After} a provider sent, which LangChain4j's
 * own HTTP client drops. LangChain4j keeps it as the root cause of what it throws, where {@link
 * ProviderErrorMapper} finds it.
 */
public final class ProviderHttpException extends HttpException {
    private final @Nullable Duration retryAfter;

    public ProviderHttpException(int statusCode, String body, @Nullable Duration retryAfter) {
        super(statusCode, body);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
