package dev.guildhall.knowledge.router;

/**
 * What training found, kept in the saved router.
 *
 * @param examples rows trained on, out-of-scope rows included
 * @param labels routes learned (the out-of-scope label is not one)
 * @param oosExamples rows with the out-of-scope label
 * @param holdOutAccuracy accuracy on the held-out rows before the threshold (argmax over the labels)
 * @param temperature the calibration temperature fitted on the held-out rows
 * @param threshold confidence below which the router answers none-of-these
 * @param thresholdRule how the threshold was chosen, in words
 * @param minSimilarity cosine similarity to the nearest training message below which the router
 *     answers none-of-these (the 0.2nd percentile of held-out in-scope messages'); -1 when there
 *     were no held-out rows
 * @param shortcut n-gram confidence from which {@link IntentRouter#classifyWithShortcut} answers
 *     without the embedding (infinite when never)
 * @param shortcutShare share of held-out rows that confident
 * @param trainingMillis wall-clock time of training, embeddings included
 */
public record TrainingReport(
        int examples,
        int labels,
        int oosExamples,
        double holdOutAccuracy,
        double temperature,
        double threshold,
        String thresholdRule,
        double minSimilarity,
        double shortcut,
        double shortcutShare,
        long trainingMillis) {}
