package dev.guildhall.core.workflow.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.AgentId;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.workflow.State;
import dev.guildhall.core.workflow.StateKey;
import dev.guildhall.core.workflow.Step;
import dev.guildhall.core.workflow.StepContext;
import dev.guildhall.core.workflow.StepOutcome;
import java.util.function.Function;

/** A node that calls one agent: input mapped from the state, result written to a key. */
public record AgentStep(AgentId agent, Function<State, JsonNode> input, StateKey<AgentResult> result) implements Step {

    public static AgentStep wholeState(AgentId agent, StateKey<AgentResult> result) {
        return new AgentStep(agent, State::toJson, result);
    }

    @Override
    public StepOutcome execute(StepContext context) {
        AgentTask task = AgentTask.of(input.apply(context.state()));
        AgentResult r = ((EngineStepContext) context).invokeOnce(agent, task);
        return StepOutcome.completed(result, r);
    }
}
