package dev.guildhall.core;

/** The typed id of a run; never a raw string in signatures. */
public record RunId(String value) {
    public RunId {
        Checks.notBlank(value, "runId");
    }

    public static RunId of(String value) {
        return new RunId(value);
    }

    /** A new random id; time-ordered ids come with the durable store. */
    public static RunId random() {
        return new RunId(java.util.UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
