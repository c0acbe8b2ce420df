package dev.guildhall.knowledge.router;

import dev.guildhall.core.Checks;
import dev.guildhall.core.classify.Classification;
import dev.guildhall.core.classify.Classifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Scores a classifier on labelled rows, the way {@code guildhall router eval} reports it.
 *
 * @param rows rows scored
 * @param oosRows rows labelled out-of-scope
 * @param accuracy share of rows answered right; an out-of-scope row is right when rejected
 * @param macroF1 mean F1 over the gold labels (out-of-scope counted as one label when present)
 * @param oosPrecision share of rejections that were out-of-scope rows; NaN when nothing was rejected
 * @param oosRecall share of out-of-scope rows rejected; NaN when there were none
 * @param accuracyWithoutRejection accuracy had every in-scope row got the classifier's best label
 *     (taken from {@link Classification#scores()}), i.e. what the none-of-these threshold costs
 * @param p50Millis median time of one {@link Classifier#classify} call
 * @param p99Millis 99th percentile time of one call
 */
public record RouterEvaluation(
        int rows,
        int oosRows,
        double accuracy,
        double macroF1,
        double oosPrecision,
        double oosRecall,
        double accuracyWithoutRejection,
        double p50Millis,
        double p99Millis) {

    /**
     * Calls made before timing starts, so that the JIT has compiled the hot path. They classify the
     * rows' texts with their words reversed, so that a cache in the classifier cannot make the timed
     * calls faster.
     */
    public static final int WARM_UP_CALLS = 200;

    /** Classifies every row once (after a warm-up) and scores the answers. */
    public static RouterEvaluation evaluate(Classifier classifier, List<LabelledExample> examples, String oosLabel) {
        Checks.notEmpty(examples, "examples");
        for (int i = 0; i < WARM_UP_CALLS; i++) {
            List<String> words = new ArrayList<>(
                    List.of(examples.get(i % examples.size()).text().split(" ")));
            Collections.reverse(words);
            classifier.classify(String.join(" ", words) + " " + i);
        }
        String none = Classification.NONE_OF_THESE;
        long[] nanos = new long[examples.size()];
        Map<String, int[]> counts = new HashMap<>(); // label -> {true positives, gold, predicted}
        int right = 0;
        int rightWithoutRejection = 0;
        int oosRows = 0;
        int rejected = 0;
        int rejectedOos = 0;
        TreeSet<String> gold = new TreeSet<>();
        for (int i = 0; i < examples.size(); i++) {
            LabelledExample e = examples.get(i);
            long start = System.nanoTime();
            Classification c = classifier.classify(e.text());
            nanos[i] = System.nanoTime() - start;
            String truth = e.label().equals(oosLabel) ? none : e.label();
            String predicted = c.outOfScope() ? none : c.label();
            gold.add(truth);
            counts.computeIfAbsent(truth, k -> new int[3])[1]++;
            counts.computeIfAbsent(predicted, k -> new int[3])[2]++;
            if (truth.equals(predicted)) {
                right++;
                counts.get(truth)[0]++;
            }
            if (truth.equals(none)) {
                oosRows++;
            } else if (truth.equals(bestLabel(c))) {
                rightWithoutRejection++;
            }
            if (predicted.equals(none)) {
                rejected++;
                if (truth.equals(none)) {
                    rejectedOos++;
                }
            }
        }
        double f1Sum = 0;
        for (String label : gold) {
            int[] c = counts.get(label);
            double precision = c[2] == 0 ? 0 : c[0] / (double) c[2];
            double recall = c[0] / (double) c[1];
            f1Sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }
        Arrays.sort(nanos);
        int n = examples.size();
        return new RouterEvaluation(
                n,
                oosRows,
                right / (double) n,
                f1Sum / gold.size(),
                rejected == 0 ? Double.NaN : rejectedOos / (double) rejected,
                oosRows == 0 ? Double.NaN : rejectedOos / (double) oosRows,
                n == oosRows ? Double.NaN : rightWithoutRejection / (double) (n - oosRows),
                percentile(nanos, 0.50) / 1e6,
                percentile(nanos, 0.99) / 1e6);
    }

    private static String bestLabel(Classification c) {
        if (!c.outOfScope()) {
            return c.label();
        }
        return c.scores().entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse(Classification.NONE_OF_THESE);
    }

    private static double percentile(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** The machine-readable line: {@code accuracy=0.xxxx macro_f1=0.xxxx oos_precision=... ...}. */
    public String summaryLine() {
        return String.format(
                Locale.ROOT,
                "accuracy=%.4f macro_f1=%.4f oos_precision=%s oos_recall=%s p50_ms=%.3f p99_ms=%.3f",
                accuracy,
                macroF1,
                ratio(oosPrecision),
                ratio(oosRecall),
                p50Millis,
                p99Millis);
    }

    private static String ratio(double value) {
        return Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%.4f", value);
    }
}
