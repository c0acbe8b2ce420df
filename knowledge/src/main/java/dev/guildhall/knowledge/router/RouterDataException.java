package dev.guildhall.knowledge.router;

import dev.guildhall.core.NonRetryableException;

/**
 * Labelled data the router cannot use: a missing or empty file, no header, an empty label, a
 * single class, a model file of another format. The message names the file and, where there is
 * one, the row; fix the data and try again.
 */
public class RouterDataException extends NonRetryableException {
    public RouterDataException(String message) {
        super(message);
    }

    public RouterDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
