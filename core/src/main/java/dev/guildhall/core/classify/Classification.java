package dev.guildhall.core.classify;

import dev.guildhall.core.Checks;
import java.util.Map;

/**
 * A classifier's answer: the best label and how sure it is. {@link #NONE_OF_THESE} means the text
 * is out of scope for every label.
 *
 * @param scores the confidence of every label considered, for explanations; may be empty
 */
public record Classification(String label, double confidence, Map<String, Double> scores) {
    public static final String NONE_OF_THESE = "none-of-these";

    public Classification {
        Checks.notBlank(label, "label");
        Checks.between(confidence, 0.0, 1.0, "confidence");
        scores = scores == null ? Map.of() : Map.copyOf(scores);
    }

    public static Classification of(String label, double confidence) {
        return new Classification(label, confidence, Map.of());
    }

    public boolean outOfScope() {
        return NONE_OF_THESE.equals(label);
    }
}
