package dev.guildhall.core.gateway;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.Checks;
import dev.guildhall.core.RunId;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling and under which policy: the workspace (whose budget pays), the user (whose
 * personal budget pays too, if any), the run and agent (for the cost ledger) and the agent's policy.
 */
public record ModelCall(
        WorkspaceId workspace,
        @Nullable UserId user,
        @Nullable RunId run,
        @Nullable AgentId agent,
        ModelPolicy policy) {
    public ModelCall {
        Checks.notNull(workspace, "workspace");
        Checks.notNull(policy, "policy");
    }

    public static ModelCall of(WorkspaceId workspace, ModelPolicy policy) {
        return new ModelCall(workspace, null, null, null, policy);
    }

    public ModelCall withPolicy(ModelPolicy newPolicy) {
        return new ModelCall(workspace, user, run, agent, newPolicy);
    }
}
