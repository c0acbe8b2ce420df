package dev.guildhall.core.gateway;

import dev.guildhall.core.Checks;
import dev.guildhall.core.RetryableException;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A provider refused a call because of its rate limit (HTTP 429). Nothing was generated and nothing
 * was billed. Try the same call again after {@link #retryAfter()} when the provider said how long to
 * wait, otherwise after the retry policy's backoff; the gateway does both before it gives up.
 */
public class RateLimitedException extends RetryableException {
    private final String provider;
    private final @Nullable Duration retryAfter;

    public RateLimitedException(
            String provider, @Nullable Duration retryAfter, String detail, @Nullable Throwable cause) {
        super(message(provider, retryAfter, detail), cause);
        this.provider = Checks.notBlank(provider, "provider");
        this.retryAfter = retryAfter;
    }

    public RateLimitedException(String provider, @Nullable Duration retryAfter, String detail) {
        this(provider, retryAfter, detail, null);
    }

    private static String message(String provider, @Nullable Duration retryAfter, String detail) {
        String wait = retryAfter == null ? "" : ", retry after " + retryAfter;
        return "Provider %s rate-limited the call (HTTP 429%s): %s".formatted(provider, wait, detail);
    }

    /** The configured name of the provider that refused the call. */
    public String provider() {
        return provider;
    }

    /** How long the provider asked callers to wait, when it said so (a {@code Retry-After} header). */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
