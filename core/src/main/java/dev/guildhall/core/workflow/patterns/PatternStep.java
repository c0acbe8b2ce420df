package dev.guildhall.core.workflow.patterns;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.Checks;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.workflow.State;
import dev.guildhall.core.workflow.StateKey;
import dev.guildhall.core.workflow.Step;
import dev.guildhall.core.workflow.StepContext;
import dev.guildhall.core.workflow.StepOutcome;
import java.util.function.Function;

/**
 * A pattern used as one workflow node: it reads its input from the state, coordinates several
 * agents through the step context (so every inner call is journaled and not repeated on resume)
 * and writes one {@link AgentResult} to its output key.
 */
public abstract class PatternStep implements Step {
    private final Function<State, JsonNode> input;
    private final StateKey<AgentResult> output;

    protected PatternStep(Function<State, JsonNode> input, StateKey<AgentResult> output) {
        this.input = Checks.notNull(input, "input");
        this.output = Checks.notNull(output, "output");
    }

    public StateKey<AgentResult> output() {
        return output;
    }

    @Override
    public final StepOutcome execute(StepContext context) {
        return StepOutcome.completed(output, perform(context, input.apply(context.state())));
    }

    /** Runs the pattern on {@code input}; inner agent calls go through {@code context.call}. */
    protected abstract AgentResult perform(StepContext context, JsonNode input);
}
