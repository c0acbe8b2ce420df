package dev.guildhall.server.security;

import java.util.Set;

/** The scopes a token or key may carry; a role grants a fixed set of them. */
public final class Scopes {
    public static final String AGENTS_READ = "agents:read";
    public static final String WORKFLOWS_READ = "workflows:read";
    /** Registering and replacing the workspace's declarative workflows. */
    public static final String WORKFLOWS_WRITE = "workflows:write";

    public static final String RUNS_READ = "runs:read";
    public static final String RUNS_WRITE = "runs:write";
    public static final String KEYS_ADMIN = "keys:admin";
    public static final String MEMBERS_ADMIN = "members:admin";
    /** Creating local users (users are not per workspace; the one who creates them can add them to theirs). */
    public static final String USERS_ADMIN = "users:admin";

    public static final String WORKSPACE_ADMIN = "workspace:admin";
    public static final String AUDIT_READ = "audit:read";
    /** Reading the workspace's spend and budgets. */
    public static final String SPEND_READ = "spend:read";
    /** Setting and removing the workspace's budgets. */
    public static final String BUDGETS_ADMIN = "budgets:admin";
    /** Listing and searching the workspace's knowledge collections. */
    public static final String KNOWLEDGE_READ = "knowledge:read";
    /** Creating and deleting collections, adding, replacing and deleting their documents. */
    public static final String KNOWLEDGE_WRITE = "knowledge:write";
    /** Reading /actuator/prometheus; the metrics cover every workspace on the node. */
    public static final String METRICS_READ = "metrics:read";

    public static final Set<String> ALL = Set.of(
            AGENTS_READ,
            WORKFLOWS_READ,
            WORKFLOWS_WRITE,
            RUNS_READ,
            RUNS_WRITE,
            KEYS_ADMIN,
            MEMBERS_ADMIN,
            USERS_ADMIN,
            WORKSPACE_ADMIN,
            METRICS_READ,
            AUDIT_READ,
            SPEND_READ,
            BUDGETS_ADMIN,
            KNOWLEDGE_READ,
            KNOWLEDGE_WRITE);

    private Scopes() {}
}
