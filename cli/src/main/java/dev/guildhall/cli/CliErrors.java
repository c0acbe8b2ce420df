package dev.guildhall.cli;

import dev.guildhall.core.definition.InvalidDefinitionException;

/** Turns any failure into the one-line (or, for definitions, one-line-per-problem) message users see. */
final class CliErrors {
    private CliErrors() {}

    static String oneLine(Throwable e) {
        if (e instanceof InvalidDefinitionException) {
            return e.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message.replace('\n', ' ');
    }
}
