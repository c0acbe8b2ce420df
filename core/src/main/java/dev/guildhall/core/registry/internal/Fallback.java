package dev.guildhall.core.registry.internal;

import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentResult;

/**
 * What a declarative agent does when no chat model is available. Every kind is deterministic and
 * returns {@link dev.guildhall.core.agent.ResultMode#DETERMINISTIC}: it routes, classifies, quotes
 * or escalates, and never pretends to have generated text. Implementations are immutable.
 */
public sealed interface Fallback
        permits TemplateFallback, RulesFallback, ClassifyFallback, RetrieveFallback, EscalateFallback {

    /** The {@code kind} name used in definitions. */
    String kind();

    AgentResult run(RenderContext values, AgentContext context);
}
