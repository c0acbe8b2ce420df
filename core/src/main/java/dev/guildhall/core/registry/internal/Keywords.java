package dev.guildhall.core.registry.internal;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Keyword matching for rules and classification: case-insensitive, at the start of a word, so
 * {@code refund} matches "Refunds" and "refunded" but not "prerefund". A keyword of several words
 * matches that phrase. Immutable and thread-safe.
 */
public record Keywords(List<String> words, List<Pattern> patterns) {

    public static Keywords of(List<String> words) {
        return new Keywords(
                List.copyOf(words),
                words.stream()
                        .map(w -> Pattern.compile(
                                "(?<![\\p{L}\\p{N}])" + Pattern.quote(w.trim()),
                                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE))
                        .toList());
    }

    /** How many of the keywords occur in {@code text}; each keyword counts once. */
    public int hits(String text) {
        int n = 0;
        for (Pattern p : patterns) {
            if (p.matcher(text).find()) {
                n++;
            }
        }
        return n;
    }

    public boolean anyIn(String text) {
        for (Pattern p : patterns) {
            if (p.matcher(text).find()) {
                return true;
            }
        }
        return false;
    }
}
