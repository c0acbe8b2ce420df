package dev.guildhall.knowledge.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.guildhall.core.classify.Classification;
import dev.guildhall.core.classify.Classifier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterEvaluationTest {
    /** Answers from a fixed table: text -> label (or none-of-these with its best guess "a"); "a" for warm-up texts. */
    static Classifier answering(Map<String, String> answers) {
        return text -> {
            String label = answers.getOrDefault(text, "a");
            return label.equals(Classification.NONE_OF_THESE)
                    ? new Classification(label, 0.9, Map.of("a", 0.1))
                    : new Classification(label, 0.8, Map.of(label, 0.8));
        };
    }

    @Test
    void counts_rejected_out_of_scope_rows_as_right_and_reports_oos_precision_and_recall() {
        List<LabelledExample> rows = List.of(
                new LabelledExample("a1", "a"),
                new LabelledExample("a2", "a"),
                new LabelledExample("b1", "b"),
                new LabelledExample("b2", "b"),
                new LabelledExample("o1", "oos"),
                new LabelledExample("o2", "oos"));
        Classifier classifier = answering(Map.of(
                "a1", "a",
                "a2", Classification.NONE_OF_THESE,
                "b1", "b",
                "b2", "a",
                "o1", Classification.NONE_OF_THESE,
                "o2", "b"));

        RouterEvaluation e = RouterEvaluation.evaluate(classifier, rows, "oos");

        assertThat(e.rows()).isEqualTo(6);
        assertThat(e.oosRows()).isEqualTo(2);
        assertThat(e.accuracy()).isCloseTo(3 / 6.0, within(1e-9));
        assertThat(e.oosPrecision()).isCloseTo(1 / 2.0, within(1e-9));
        assertThat(e.oosRecall()).isCloseTo(1 / 2.0, within(1e-9));
        // a: P=1/2 R=1/2; b: P=1/2 R=1/2; none-of-these: P=1/2 R=1/2.
        assertThat(e.macroF1()).isCloseTo(0.5, within(1e-9));
        // a2's best guess was "a": without the threshold, 3 of 4 in-scope rows would be right.
        assertThat(e.accuracyWithoutRejection()).isCloseTo(3 / 4.0, within(1e-9));
        assertThat(e.p99Millis()).isGreaterThanOrEqualTo(e.p50Millis());
    }

    @Test
    void the_last_line_is_machine_readable_and_says_nan_when_a_ratio_is_undefined() {
        List<LabelledExample> rows = List.of(new LabelledExample("a1", "a"), new LabelledExample("b1", "b"));

        RouterEvaluation e = RouterEvaluation.evaluate(answering(Map.of("a1", "a", "b1", "a")), rows, "oos");

        assertThat(e.summaryLine())
                .matches("accuracy=0\\.5000 macro_f1=0\\.3333 oos_precision=NaN oos_recall=NaN"
                        + " p50_ms=\\d+\\.\\d{3} p99_ms=\\d+\\.\\d{3}");
    }
}
