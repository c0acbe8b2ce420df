package dev.guildhall.core.definition;

import dev.guildhall.core.Checks;
import org.jspecify.annotations.Nullable;

/**
 * One problem found in an agent (or pack) definition, precise enough to fix without a debugger.
 *
 * @param source where the definition came from: a file name such as {@code billing.yaml}, or
 *     {@code class:com.example.RefundChecker} for annotated classes
 * @param line the 1-based line in {@code source}, or 0 when the source has no lines (a class)
 * @param field the dotted path of the offending field, such as {@code retry.maxAttempts}, or null
 *     when the problem is not about one field (a YAML syntax error)
 * @param message what is wrong, and where useful what would be right
 */
public record DefinitionError(String source, int line, @Nullable String field, String message) {
    public DefinitionError {
        Checks.notBlank(source, "source");
        Checks.notNegative(line, "line");
        Checks.notBlank(message, "message");
    }

    /** Where the problem is, as {@code source:line}, or just {@code source} when there is no line. */
    public String location() {
        return line > 0 ? source + ":" + line : source;
    }

    /** The problem as one line: {@code file.yaml:LINE: field 'x': message}. */
    public String format() {
        return location() + ": " + (field == null ? "" : "field '" + field + "': ") + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
