package dev.guildhall.core.gateway;

import dev.guildhall.core.Checks;

/**
 * Tokens one call consumed. {@code estimated} is true when the provider did not report usage and
 * the gateway counted the tokens itself, so a dashboard never silently shows zero.
 */
public record TokenUsage(long inputTokens, long outputTokens, boolean estimated) {
    public static final TokenUsage ZERO = new TokenUsage(0, 0, false);

    public TokenUsage {
        Checks.check(inputTokens >= 0, "inputTokens must be >= 0, was " + inputTokens);
        Checks.check(outputTokens >= 0, "outputTokens must be >= 0, was " + outputTokens);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    public TokenUsage plus(TokenUsage other) {
        return new TokenUsage(
                inputTokens + other.inputTokens, outputTokens + other.outputTokens, estimated || other.estimated);
    }
}
