package dev.guildhall.core.workflow.patterns;

import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentUsage;
import dev.guildhall.core.agent.ResultMode;
import java.util.Collection;

/** Sums what several agent calls consumed, and says whether any of them used a model. */
final class Results {
    private Results() {}

    static AgentUsage usage(Collection<AgentResult> results) {
        AgentUsage total = AgentUsage.NONE;
        for (AgentResult r : results) {
            total = total.plus(r.usage());
        }
        return total;
    }

    static ResultMode mode(Collection<AgentResult> results) {
        return results.stream().anyMatch(r -> r.mode() == ResultMode.MODEL)
                ? ResultMode.MODEL
                : ResultMode.DETERMINISTIC;
    }
}
