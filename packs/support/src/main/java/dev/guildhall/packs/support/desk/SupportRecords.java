package dev.guildhall.packs.support.desk;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.guildhall.core.Checks;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The values of the support desk's tables; every one belongs to one workspace. */
public final class SupportRecords {
    private SupportRecords() {}

    public enum Channel {
        API,
        EMAIL;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Status {
        OPEN,
        WAITING,
        ESCALATED,
        RESOLVED;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Author {
        CUSTOMER,
        AGENT,
        STAFF,
        NOTE;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Parses a lower-case wire value; unknown values are an {@link IllegalArgumentException} naming the field. */
    public static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException(field + " must be one of "
                + java.util.Arrays.stream(type.getEnumConstants())
                        .map(e -> e.name().toLowerCase(Locale.ROOT))
                        .toList()
                + ", was '" + value + "'");
    }

    public record Customer(
            String id,
            String name,
            @Nullable String email,
            String plan,
            BigDecimal lifetimeValue,
            String health,
            Instant createdAt) {
        public Customer {
            Checks.notBlank(id, "id");
            Checks.notBlank(name, "name");
            Checks.notBlank(plan, "plan");
            Checks.notNull(lifetimeValue, "lifetimeValue");
            Checks.check(
                    dev.guildhall.packs.support.customer.CustomerProfile.HEALTH.contains(health),
                    "health must be one of " + dev.guildhall.packs.support.customer.CustomerProfile.HEALTH + ", was "
                            + health);
            Checks.check(lifetimeValue.signum() >= 0, "lifetimeValue must be >= 0, was " + lifetimeValue);
            // The limits are the columns' (db/support/V1): a longer value is the caller's mistake, not a 500.
            Checks.check(
                    ID.matcher(id).matches(), "id must be 1-64 letters, digits, '_', '-' or '.', was '" + id + "'");
            atMost(name, 200, "name");
            atMost(email, 320, "email");
            atMost(plan, 64, "plan");
            Checks.check(
                    lifetimeValue.compareTo(MAX_LIFETIME_VALUE) <= 0 && lifetimeValue.scale() <= 2,
                    "lifetimeValue must have at most 12 digits before the point and 2 after");
        }
    }

    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final BigDecimal MAX_LIFETIME_VALUE = new BigDecimal("999999999999.99");

    private static void atMost(@Nullable String value, int max, String name) {
        Checks.check(
                value == null || value.length() <= max,
                name + " must be at most " + max + " characters, was " + (value == null ? 0 : value.length()));
    }

    public record Conversation(
            String id,
            String customerId,
            Channel channel,
            Status status,
            @Nullable String assignee,
            List<String> tags,
            @Nullable String intent,
            @Nullable Integer csat,
            Instant createdAt,
            Instant updatedAt) {
        public Conversation {
            tags = List.copyOf(tags);
            atMost(assignee, 200, "assignee");
            atMost(intent, 200, "intent");
            Checks.check(tags.size() <= 20, "at most 20 tags, was " + tags.size());
            tags.forEach(t -> atMost(t, 64, "a tag"));
        }
    }

    /** Where an agent's reply comes from: the document and the passage quoted verbatim. */
    public record Citation(String source, String title, String quote) {}

    /**
     * One message of a conversation. A customer message carries the id of the desk run it started;
     * the desk's reply or hand-off note carries the same run id.
     */
    public record Message(
            String id,
            String conversationId,
            Author author,
            String text,
            List<Citation> citations,
            @Nullable String runId,
            Instant createdAt) {
        public Message {
            citations = List.copyOf(citations);
            atMost(text, 10_000, "text");
        }
    }
}
