/**
 * The trainable intent router: {@link dev.guildhall.knowledge.router.IntentRouter} learns labels
 * from examples ({@link dev.guildhall.knowledge.router.LabelledCsv}), answers with a calibrated
 * confidence or {@link dev.guildhall.core.classify.Classification#NONE_OF_THESE}, and is saved to
 * and loaded from a versioned file. {@link dev.guildhall.knowledge.router.RouterEvaluation} scores
 * it on labelled data. How the method was chosen is in {@code docs/ROUTER.md}.
 */
@NullMarked
package dev.guildhall.knowledge.router;

import org.jspecify.annotations.NullMarked;
