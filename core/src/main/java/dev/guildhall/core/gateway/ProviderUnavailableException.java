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
    private final boolean abandoned;

    public ProviderUnavailableException(String provider, int statusCode, String detail, @Nullable Throwable cause) {
        this(provider, statusCode, detail, cause, false);
    }

    private ProviderUnavailableException(
            String provider, int statusCode, String detail, @Nullable Throwable cause, boolean abandoned) {
        super(message(provider, statusCode, detail), cause);
        this.provider = Checks.notBlank(provider, "provider");
        this.statusCode = statusCode;
        this.abandoned = abandoned;
    }

    public ProviderUnavailableException(String provider, int statusCode, String detail) {
        this(provider, statusCode, detail, null);
    }

    /** The provider did not finish the call within {@code timeout}. */
    public static ProviderUnavailableException timedOut(String provider, Duration timeout, @Nullable Throwable cause) {
        return new ProviderUnavailableException(provider, NO_STATUS, "timed out after " + timeout, cause, true);
    }

    /** The caller was interrupted while the provider was still working on the call; {@code detail} says where. */
    public static ProviderUnavailableException interrupted(String provider, String detail, @Nullable Throwable cause) {
        return new ProviderUnavailableException(provider, NO_STATUS, detail, cause, true);
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

    /**
     * Whether the call was given up while in flight (a timeout or an interrupt), so that the provider
     * may have done, and billed, the work anyway. The gateway records such attempts in the cost ledger
     * with estimated tokens; a refusal with an HTTP status is not abandoned.
     */
    public boolean abandoned() {
        return abandoned;
    }
}
