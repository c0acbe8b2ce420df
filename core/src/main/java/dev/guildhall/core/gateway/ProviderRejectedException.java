package dev.guildhall.core.gateway;

import dev.guildhall.core.Checks;
import dev.guildhall.core.NonRetryableException;
import org.jspecify.annotations.Nullable;

/**
 * A provider refused the call for a reason that repeats on every attempt: a bad API key (HTTP
 * 401/403), an unknown model (404), a request it cannot accept (400, 422), or content it filtered.
 * The gateway does not retry it on the same provider but still falls back to the next route; fix the
 * configuration or the request.
 */
public class ProviderRejectedException extends NonRetryableException {
    /** The value of {@link #statusCode()} when no HTTP status was received. */
    public static final int NO_STATUS = 0;

    private final String provider;
    private final int statusCode;

    public ProviderRejectedException(String provider, int statusCode, String detail, @Nullable Throwable cause) {
        super(message(provider, statusCode, detail), cause);
        this.provider = Checks.notBlank(provider, "provider");
        this.statusCode = statusCode;
    }

    public ProviderRejectedException(String provider, int statusCode, String detail) {
        this(provider, statusCode, detail, null);
    }

    private static String message(String provider, int statusCode, String detail) {
        String status = statusCode == NO_STATUS ? "" : " (HTTP " + statusCode + ")";
        return "Provider %s rejected the call%s: %s".formatted(provider, status, detail);
    }

    /** The configured name of the provider that refused the call. */
    public String provider() {
        return provider;
    }

    /** The HTTP status the provider answered, or {@link #NO_STATUS} when the refusal had none. */
    public int statusCode() {
        return statusCode;
    }
}
