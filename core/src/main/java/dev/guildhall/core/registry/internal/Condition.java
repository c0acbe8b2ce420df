package dev.guildhall.core.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** A test on one input field of a rule; all its tests must hold. Immutable. */
public record Condition(String field, List<Test> tests) {

    public boolean test(RenderContext values) {
        Object value = values.lookup(field);
        String text = values.text(field);
        for (Test t : tests) {
            if (!t.test(value, text)) {
                return false;
            }
        }
        return true;
    }

    /** One operator of a condition. */
    public sealed interface Test {
        boolean test(@Nullable Object value, String text);
    }

    public record ContainsAny(Keywords keywords) implements Test {
        @Override
        public boolean test(@Nullable Object value, String text) {
            return keywords.anyIn(text);
        }
    }

    public record Matches(Pattern pattern) implements Test {
        @Override
        public boolean test(@Nullable Object value, String text) {
            return value != null && pattern.matcher(text).find();
        }
    }

    /**
     * Equal as numbers when both are numbers, as booleans when the input is a boolean, else as the
     * text written in the definition ({@code equals: yes} matches "yes", although YAML reads it as
     * true); {@code equals: null} matches an absent field.
     */
    public record Equals(JsonNode expected, String written) implements Test {
        @Override
        public boolean test(@Nullable Object value, String text) {
            if (expected.isNull()) {
                return value == null;
            }
            if (value == null) {
                return false;
            }
            if (expected.isNumber()) {
                Double n = number(value);
                return n != null && n == expected.asDouble();
            }
            if (expected.isBoolean() && value instanceof Boolean b) {
                return b == expected.asBoolean();
            }
            return written.equals(text);
        }
    }

    public record GreaterThan(double bound) implements Test {
        @Override
        public boolean test(@Nullable Object value, String text) {
            Double n = number(value);
            return n != null && n > bound;
        }
    }

    public record LessThan(double bound) implements Test {
        @Override
        public boolean test(@Nullable Object value, String text) {
            Double n = number(value);
            return n != null && n < bound;
        }
    }

    /** {@code exists: true} holds for a present, non-empty value; {@code exists: false} for the rest. */
    public record Exists(boolean expected) implements Test {
        @Override
        public boolean test(@Nullable Object value, String text) {
            boolean present = value != null && !(value instanceof Map<?, ?> m && m.isEmpty()) && !text.isEmpty();
            return present == expected;
        }
    }

    /** A number from a number or from text that reads as one ("42", " 3.5 "); null otherwise. */
    static @Nullable Double number(@Nullable Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
