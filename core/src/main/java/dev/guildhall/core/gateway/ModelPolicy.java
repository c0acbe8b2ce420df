package dev.guildhall.core.gateway;

import java.util.Locale;

/**
 * Which class of model an agent may use. The gateway maps each policy to an ordered list of
 * provider models; a soft budget limit moves a call down one step with {@link #cheaper()}.
 */
public enum ModelPolicy {
    /** The agent never calls a chat model; it always takes its deterministic path. */
    NONE,
    CHEAP,
    STANDARD,
    PREMIUM;

    /** The next cheaper policy that still calls a model; {@code CHEAP} stays {@code CHEAP}. */
    public ModelPolicy cheaper() {
        return switch (this) {
            case PREMIUM -> STANDARD;
            case STANDARD, CHEAP -> CHEAP;
            case NONE -> NONE;
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code none|cheap|standard|premium}, case-insensitively. */
    public static ModelPolicy parse(String value) {
        for (ModelPolicy p : values()) {
            if (p.name().equalsIgnoreCase(value.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "model policy must be one of none, cheap, standard, premium, was \"" + value + "\"");
    }
}
