package dev.guildhall.knowledge.router;

import dev.guildhall.core.Checks;

/**
 * How {@link IntentRouter#train} works. The defaults are the ones measured in {@code docs/ROUTER.md}.
 *
 * @param oosLabel the label that marks out-of-scope rows ("none of these"); such rows are never a
 *     route, they teach the router what to reject
 * @param seed seeds the held-out split and the training order, so training is repeatable
 * @param holdOutFraction the share of each label held out to fit the calibration and the threshold
 * @param epochs passes of the linear models over the training rows
 */
public record TrainingOptions(String oosLabel, long seed, double holdOutFraction, int epochs) {
    public static final String DEFAULT_OOS_LABEL = "oos";
    public static final long DEFAULT_SEED = 42;
    public static final double DEFAULT_HOLD_OUT_FRACTION = 0.15;
    public static final int DEFAULT_EPOCHS = 15;

    public TrainingOptions {
        Checks.notBlank(oosLabel, "oosLabel");
        Checks.between(holdOutFraction, 0.05, 0.5, "holdOutFraction");
        Checks.positive(epochs, "epochs");
    }

    public static TrainingOptions defaults() {
        return new TrainingOptions(DEFAULT_OOS_LABEL, DEFAULT_SEED, DEFAULT_HOLD_OUT_FRACTION, DEFAULT_EPOCHS);
    }

    public TrainingOptions withOosLabel(String label) {
        return new TrainingOptions(label, seed, holdOutFraction, epochs);
    }

    public TrainingOptions withSeed(long value) {
        return new TrainingOptions(oosLabel, value, holdOutFraction, epochs);
    }

    public TrainingOptions withEpochs(int value) {
        return new TrainingOptions(oosLabel, seed, holdOutFraction, value);
    }
}
