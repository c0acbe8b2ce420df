package dev.guildhall.server;

import dev.guildhall.core.WorkspaceId;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The engine's ids of registered workflows, {@code <workspace>/<id>@<version>}, and the id clients
 * see. A shared workflow's engine id is its own id.
 */
public final class WorkflowIds {
    /** What a declarative workflow's id may be (as WorkflowDefinitions checks), at most 100 characters. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private WorkflowIds() {}

    record Registered(WorkspaceId workspace, String id, int version) {}

    public static boolean isValid(String id) {
        return ID.matcher(id).matches();
    }

    static String engineId(WorkspaceId workspace, String id, int version) {
        return workspace.value() + "/" + id + "@" + version;
    }

    static Optional<Registered> parse(String engineId) {
        int at = engineId.lastIndexOf('@');
        int slash = engineId.lastIndexOf('/', at);
        if (at < 0 || slash <= 0) {
            return Optional.empty();
        }
        try {
            int version = Integer.parseInt(engineId.substring(at + 1));
            String id = engineId.substring(slash + 1, at);
            if (version < 1 || !isValid(id)) {
                return Optional.empty();
            }
            return Optional.of(new Registered(WorkspaceId.of(engineId.substring(0, slash)), id, version));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The id a client knows a run's workflow by. */
    public static String publicId(String engineId) {
        return parse(engineId).map(Registered::id).orElse(engineId);
    }

    /** The registered version of a run's workflow, or null for a shared workflow. */
    public static Integer version(String engineId) {
        return parse(engineId).map(Registered::version).orElse(null);
    }
}
