package dev.guildhall.core;

/** The typed id of a workspace; never a raw string in signatures. */
public record WorkspaceId(String value) {
    public WorkspaceId {
        Checks.notBlank(value, "workspaceId");
    }

    public static WorkspaceId of(String value) {
        return new WorkspaceId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
