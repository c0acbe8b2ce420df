package dev.guildhall.core.registry.internal;

import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentResult;

/** Hands the case to a person: output {@code {escalate: true, reason}}, next step {@code escalate}, confidence 0. */
public record EscalateFallback(TemplateText reason) implements Fallback {
    public static final String DEFAULT_REASON = "no chat model is available for this agent";

    @Override
    public String kind() {
        return "escalate";
    }

    @Override
    public AgentResult run(RenderContext values, AgentContext context) {
        return Outcome.escalation(reason.render(values.root()));
    }
}
