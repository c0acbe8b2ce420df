package dev.guildhall.core.registry.internal;

import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentResult;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Ordered rules: the first rule whose conditions all hold gives the output; otherwise the
 * default, or an escalation when there is no default.
 */
public record RulesFallback(List<Rule> rules, @Nullable Outcome otherwise) implements Fallback {

    /** One rule: every condition must hold. */
    public record Rule(List<Condition> when, Outcome then) {
        boolean matches(RenderContext values) {
            for (Condition c : when) {
                if (!c.test(values)) {
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public String kind() {
        return "rules";
    }

    @Override
    public AgentResult run(RenderContext values, AgentContext context) {
        for (Rule rule : rules) {
            if (rule.matches(values)) {
                return rule.then().render(values);
            }
        }
        return otherwise != null
                ? otherwise.render(values)
                : Outcome.escalation("no rule matched and no default is defined");
    }
}
