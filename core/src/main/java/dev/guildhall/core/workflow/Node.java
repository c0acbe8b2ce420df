package dev.guildhall.core.workflow;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.Checks;
import org.jspecify.annotations.Nullable;

/**
 * One node of a workflow graph.
 *
 * @param agent the agent this node calls, when it is an agent step; used for metrics and drawing
 */
public record Node(String id, Step step, StepOptions options, @Nullable AgentId agent) {
    public Node {
        Checks.notBlank(id, "id");
        Checks.check(!id.equals(Workflow.END), "node id must not be " + Workflow.END);
        Checks.check(!id.contains("#"), "node id must not contain '#', was \"" + id + "\"");
        Checks.notNull(step, "step");
        Checks.notNull(options, "options");
    }
}
