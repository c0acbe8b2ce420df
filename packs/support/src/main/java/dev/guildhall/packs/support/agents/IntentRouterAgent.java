package dev.guildhall.packs.support.agents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.Checks;
import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentDescriptor;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.agent.Tier;
import dev.guildhall.core.classify.Classification;
import dev.guildhall.core.json.Json;
import dev.guildhall.knowledge.router.IntentRouter;
import dev.guildhall.packs.support.routing.WorkspaceRouters;
import java.util.List;
import java.util.Optional;

/**
 * Tier 1: routes a message to one of the workspace's intents with the workspace's trained {@link
 * IntentRouter}. Out of scope, a confidence under {@code minConfidence}, or a workspace without a
 * router all give {@code route: escalated} and an {@code escalate} hint: the router never guesses.
 *
 * <p>Input {@code {"message"}}; output {@code {"label", "confidence", "route": "answer" |
 * "escalated", "reason"?}}.
 */
public final class IntentRouterAgent implements Agent {
    public static final String ID = "intent-router";
    public static final double DEFAULT_MIN_CONFIDENCE = 0.3;

    private static final AgentDescriptor DESCRIPTOR = Descriptors.of(
            ID,
            "Intent router",
            "Routes a message to one of the workspace's intents with its trained router; unsure or out of scope goes to a person.",
            Tier.ESSENTIAL,
            "routing",
            "classify");

    private final WorkspaceRouters routers;
    private final double minConfidence;

    public IntentRouterAgent(WorkspaceRouters routers, double minConfidence) {
        this.routers = Checks.notNull(routers, "routers");
        this.minConfidence = Checks.between(minConfidence, 0.0, 1.0, "minConfidence");
    }

    @Override
    public AgentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AgentResult run(AgentTask task, AgentContext context) {
        String message = task.text("message");
        ObjectNode out = Json.object();
        Optional<IntentRouter> router = routers.find(context.workspace());
        if (router.isEmpty()) {
            out.put("label", Classification.NONE_OF_THESE)
                    .put("confidence", 0.0)
                    .put("route", "escalated");
            out.put("reason", "workspace " + context.workspace() + " has no trained router");
            return escalation(out, 0.0);
        }
        if (message.isBlank()) {
            out.put("label", Classification.NONE_OF_THESE)
                    .put("confidence", 0.0)
                    .put("route", "escalated");
            out.put("reason", "empty message");
            return escalation(out, 0.0);
        }
        Classification c = router.get().classifyWithShortcut(message);
        out.put("label", c.label()).put("confidence", c.confidence());
        if (c.outOfScope()) {
            out.put("route", "escalated").put("reason", "out of scope for every intent");
            return escalation(out, c.confidence());
        }
        if (c.confidence() < minConfidence) {
            out.put("route", "escalated")
                    .put("reason", "confidence %.2f below %.2f".formatted(c.confidence(), minConfidence));
            return escalation(out, c.confidence());
        }
        out.put("route", "answer");
        return AgentResult.deterministic(out, c.confidence());
    }

    private static AgentResult escalation(ObjectNode out, double confidence) {
        return AgentResult.deterministic(out, confidence).withNextSteps(List.of(AgentResult.ESCALATE));
    }
}
