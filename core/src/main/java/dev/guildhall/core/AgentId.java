package dev.guildhall.core;

/** The typed id of a agent; never a raw string in signatures. */
public record AgentId(String value) {
    public AgentId {
        Checks.notBlank(value, "agentId");
    }

    public static AgentId of(String value) {
        return new AgentId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
