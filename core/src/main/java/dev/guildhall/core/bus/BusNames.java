package dev.guildhall.core.bus;

import java.util.regex.Pattern;

/**
 * The names the bus accepts for topics, groups and consumers, and where poison events go. Names are
 * checked by every {@link EventBus} implementation so that one topic means the same thing in memory
 * and in Redis, where names become parts of keys.
 */
public final class BusNames {
    /** Letters, digits, {@code .}, {@code _} and {@code -}, starting with a letter or digit; at most 100. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    /** Appended to a topic to name the topic its poison events move to. */
    public static final String DEAD_LETTER_SUFFIX = ".dead-letter";

    private BusNames() {}

    /**
     * Returns {@code value} when it is a valid name.
     *
     * @throws IllegalArgumentException naming {@code what} when it is not
     */
    public static String check(String value, String what) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    what + " must match " + NAME.pattern() + ", was " + (value == null ? "null" : "\"" + value + "\""));
        }
        return value;
    }

    /**
     * The topic where events of {@code topic} go after their handler failed too often, such as
     * {@code runs.dead-letter}. It is an ordinary topic: subscribe to it to inspect or replay them.
     */
    public static String deadLetterTopic(String topic) {
        return check(topic, "topic") + DEAD_LETTER_SUFFIX;
    }
}
