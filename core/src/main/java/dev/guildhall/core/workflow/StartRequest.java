package dev.guildhall.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.Checks;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.json.Json;
import org.jspecify.annotations.Nullable;

/**
 * How to start a run.
 *
 * @param input a JSON object whose fields become the initial state
 * @param idempotencyKey when set, starting again with the same key in the same workspace returns the existing run
 */
public record StartRequest(
        WorkspaceId workspace, JsonNode input, @Nullable UserId user, @Nullable String idempotencyKey) {
    public StartRequest {
        Checks.notNull(workspace, "workspace");
        input = input == null ? Json.object() : input;
        Checks.check(input.isObject(), "input must be a JSON object, was " + input.getNodeType());
    }

    public static StartRequest of(WorkspaceId workspace, JsonNode input) {
        return new StartRequest(workspace, input, null, null);
    }

    public StartRequest withIdempotencyKey(String key) {
        return new StartRequest(workspace, input, user, key);
    }

    public StartRequest withUser(UserId newUser) {
        return new StartRequest(workspace, input, newUser, idempotencyKey);
    }
}
