package dev.guildhall.core.definition;

import dev.guildhall.core.Checks;
import dev.guildhall.core.NonRetryableException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Agent or pack definitions are wrong. It carries every problem found in one load, not just the
 * first, so that a user fixing three mistakes needs one run. Fix the definitions named in {@link
 * #errors()} and load again; retrying without a change fails the same way.
 */
public class InvalidDefinitionException extends NonRetryableException {
    private final List<DefinitionError> errors;

    public InvalidDefinitionException(List<DefinitionError> errors) {
        super(message(Checks.notEmpty(errors, "errors")));
        this.errors = List.copyOf(errors);
    }

    /** Every problem found, in source and line order. Never empty. */
    public List<DefinitionError> errors() {
        return errors;
    }

    private static String message(List<DefinitionError> errors) {
        if (errors.size() == 1) {
            return "Invalid definition: " + errors.get(0).format();
        }
        return errors.size() + " invalid definitions:"
                + errors.stream().map(e -> "\n  " + e.format()).collect(Collectors.joining());
    }
}
