package dev.guildhall.core.registry.internal;

import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.json.Json;
import java.util.List;

/**
 * The result a rule or template fallback produces: an output (possibly templated), a confidence and
 * the next steps it suggests.
 */
public record Outcome(JsonTemplate output, double confidence, List<String> nextSteps) {

    public AgentResult render(RenderContext values) {
        return AgentResult.deterministic(output.render(values), confidence).withNextSteps(nextSteps);
    }

    /** The result when nothing applied: say so and hand the case to a person. */
    public static AgentResult escalation(String reason) {
        return AgentResult.deterministic(Json.object().put("escalate", true).put("reason", reason), 0.0)
                .withNextSteps(List.of(AgentResult.ESCALATE));
    }
}
