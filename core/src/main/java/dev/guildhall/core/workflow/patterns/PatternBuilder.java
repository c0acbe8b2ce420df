package dev.guildhall.core.workflow.patterns;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.Checks;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.workflow.State;
import dev.guildhall.core.workflow.StateKey;
import java.util.function.Function;

/** What every pattern builder shares: where the input comes from and where the result goes. */
abstract class PatternBuilder<B extends PatternBuilder<B>> {
    Function<State, JsonNode> input = State::toJson;
    StateKey<AgentResult> output;

    PatternBuilder(String defaultOutput) {
        this.output = StateKey.of(defaultOutput, AgentResult.class);
    }

    @SuppressWarnings("unchecked") // B is this builder's own type (the curiously recurring generic).
    private B self() {
        return (B) this;
    }

    /** Maps the state to the pattern's input; by default the whole state as JSON. */
    public B input(Function<State, JsonNode> mapping) {
        this.input = Checks.notNull(mapping, "input");
        return self();
    }

    /** The state key the pattern's result is written to. */
    public B into(StateKey<AgentResult> key) {
        this.output = Checks.notNull(key, "output");
        return self();
    }
}
