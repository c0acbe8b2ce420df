package dev.guildhall.core.classify;

import dev.guildhall.core.Checks;
import java.util.List;

/**
 * A classifier a {@link ClassifierProvider} built, with the labels it can answer, so that a router
 * whose routes name a label the classifier never answers is refused when the definition loads.
 *
 * @param labels every label {@code classifier} may answer besides {@link Classification#NONE_OF_THESE}
 */
public record ProvidedClassifier(Classifier classifier, List<String> labels) {
    public ProvidedClassifier {
        Checks.notNull(classifier, "classifier");
        labels = List.copyOf(Checks.notNull(labels, "labels"));
    }
}
