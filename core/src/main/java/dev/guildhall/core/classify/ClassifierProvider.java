package dev.guildhall.core.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Builds the classifier a definition describes with a mapping (a router step's {@code classifier:
 * {model: router.bin}}) instead of naming an agent. Found with {@link ServiceLoader}: the knowledge
 * module provides one that loads or trains its intent router, so core need not depend on it.
 * Implementations are thread-safe.
 */
public interface ClassifierProvider {

    /** The settings keys this provider understands, for error messages (for example model, examples). */
    List<String> keys();

    /**
     * The classifier {@code spec} describes.
     *
     * @throws IllegalArgumentException when the spec is wrong (unknown or missing key, a file that
     *     is missing or is not what the key says); the message is shown as a definition error, so it
     *     names the file and what to do
     */
    ProvidedClassifier create(ClassifierSpec spec);

    /**
     * The one provider on the class path, if any.
     *
     * @throws IllegalStateException when there are several: which one a definition means would
     *     depend on class path order
     */
    static Optional<ClassifierProvider> find() {
        List<ClassifierProvider> found = new ArrayList<>();
        ServiceLoader.load(ClassifierProvider.class, ClassifierProvider.class.getClassLoader())
                .forEach(found::add);
        if (found.size() > 1) {
            throw new IllegalStateException("more than one ClassifierProvider on the class path: "
                    + found.stream().map(p -> p.getClass().getName()).toList());
        }
        return found.stream().findFirst();
    }
}
