package dev.guildhall.core.agent;

/**
 * The support pack's grouping of agents by what they are for. Packs with another grouping (guilds
 * under a council) use {@link AgentDescriptor#team()} for it and keep the default tier.
 */
public enum Tier {
    ESSENTIAL(1),
    REVENUE(2),
    OPERATIONAL(3),
    ADVANCED(4);

    private final int number;

    Tier(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    public static Tier ofNumber(int number) {
        for (Tier t : values()) {
            if (t.number == number) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "tier must be 1, 2, 3 or 4 (or essential, revenue, operational, advanced), was " + number);
    }

    /** Parses {@code 1..4} or a tier name, case-insensitively. */
    public static Tier parse(String value) {
        String v = value.trim();
        if (v.matches("\\d+")) {
            return ofNumber(Integer.parseInt(v));
        }
        for (Tier t : values()) {
            if (t.name().equalsIgnoreCase(v)) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "tier must be 1, 2, 3 or 4 (or essential, revenue, operational, advanced), was \"" + value + "\"");
    }
}
