package dev.guildhall.core.classify;

/**
 * Puts a text into one of a fixed set of labels. The router pattern dispatches on it; the
 * knowledge module's trained intent router implements it. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Classifier {
    /** Never null; {@link Classification#NONE_OF_THESE} when nothing fits. */
    Classification classify(String text);
}
