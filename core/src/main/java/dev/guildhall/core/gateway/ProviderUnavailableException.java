package dev.guildhall.core.gateway;

import dev.guildhall.core.Checks;
import dev.guildhall.core.RetryableException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A provider could not answer: a server error (HTTP 5xx), a timeout, or a connection that failed.
 * The same call may succeed later or on another provider; the gateway retries it with backoff and
 * then falls back to the next route of the policy.
 */
public class ProviderUnavailableException extends RetryableException {
    /** The value of {@link #statusCode()} when no HTTP status was received. */
    public static final int NO_STATUS = 0;

    private final String provider;
    private final int statusCode;

    public ProviderUnavailableException(String provider, int statusCode, String detail, @Nullable Throwable cause) {
        super(message(provider, statusCode, detail), cause);
        this.provider = Checks.notBlank(provider, "provider");
        this.statusCode = statusCode;
    }

    public ProviderUnavailableException(String provider, int statusCode, String detail) {
        this(provider, statusCode, detail, null);
    }

    /** The provider did not finish the call within {@code timeout}. */
    public static ProviderUnavailableException timedOut(String provider, Duration timeout, @Nullable Throwable cause) {
        return new ProviderUnavailableException(provider, NO_STATUS, "timed out after " + timeout, cause);
    }

    private static String message(String provider, int statusCode, String detail) {
        String status = statusCode == NO_STATUS ? "" : " (HTTP " + statusCode + ")";
        return "Provider %s unavailable%s: %s".formatted(provider, status, detail);
    }

    /** The configured name of the provider that failed. */
    public String provider() {
        return provider;
    }

    /** The HTTP status the provider answered, or {@link #NO_STATUS} for timeouts and connection failures. */
    public int statusCode() {
        return statusCode;
    }
}
