package dev.guildhall.core.cost;

import dev.guildhall.core.Checks;
import java.math.BigDecimal;

/**
 * What a model charges, per one million tokens, in the price table's currency. Embedding models
 * have an output price of zero. Prices are normalised ({@code 0.60} is stored as {@code 0.6}), so
 * equal prices are equal records.
 */
public record ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
    public static final ModelPrice FREE = new ModelPrice(BigDecimal.ZERO, BigDecimal.ZERO);
    private static final int PER_MILLION_SCALE = 6;

    public ModelPrice {
        Checks.notNull(inputPerMillion, "inputPerMillion");
        Checks.notNull(outputPerMillion, "outputPerMillion");
        Checks.check(
                inputPerMillion.signum() >= 0, "inputPerMillion must be >= 0, was " + inputPerMillion.toPlainString());
        Checks.check(
                outputPerMillion.signum() >= 0,
                "outputPerMillion must be >= 0, was " + outputPerMillion.toPlainString());
        // Normalised so that 0.60 and 0.6 are the same price (records compare BigDecimals with equals).
        inputPerMillion = normalise(inputPerMillion);
        outputPerMillion = normalise(outputPerMillion);
    }

    private static BigDecimal normalise(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    public static ModelPrice of(String inputPerMillion, String outputPerMillion) {
        return new ModelPrice(new BigDecimal(inputPerMillion), new BigDecimal(outputPerMillion));
    }

    /** The exact cost of {@code inputTokens} and {@code outputTokens}; no rounding. */
    public BigDecimal cost(long inputTokens, long outputTokens) {
        Checks.check(inputTokens >= 0, "inputTokens must be >= 0, was " + inputTokens);
        Checks.check(outputTokens >= 0, "outputTokens must be >= 0, was " + outputTokens);
        return inputPerMillion
                .multiply(BigDecimal.valueOf(inputTokens))
                .add(outputPerMillion.multiply(BigDecimal.valueOf(outputTokens)))
                .movePointLeft(PER_MILLION_SCALE);
    }
}
