package dev.guildhall.core.classify;

import dev.guildhall.core.Checks;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A classifier as a definition describes it, for example a router step's {@code classifier:
 * {model: router.bin}}: its settings as text, and the directory of the file that named it, against
 * which relative paths resolve.
 *
 * @param settings the mapping's keys and values, in file order
 * @param directory the directory of the definition file; null when it was not read from a file
 */
public record ClassifierSpec(Map<String, String> settings, @Nullable Path directory) {
    public ClassifierSpec {
        settings = Map.copyOf(Checks.notNull(settings, "settings"));
    }

    /**
     * {@code path} resolved against the definition's directory (absolute paths stay as they are).
     *
     * @throws IllegalArgumentException when the path is relative and the definition has no directory
     */
    public Path resolve(String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p;
        }
        if (directory == null) {
            throw new IllegalArgumentException("\"" + path
                    + "\" is relative, but this definition was not read from a file; give an absolute path");
        }
        return directory.resolve(p).normalize();
    }
}
