package dev.guildhall.packs.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.Checks;
import dev.guildhall.core.workflow.RunResult;
import dev.guildhall.core.workflow.State;
import org.jspecify.annotations.Nullable;

/**
 * How the desk settled one message, read from the final state of a {@code support-desk} run.
 *
 * @param intent the router's label ({@code none-of-these} when it placed nothing)
 * @param reply the text sent to the customer when replied, else null
 * @param citedSource the document the reply quotes, else null
 * @param summary the hand-off summary when escalated, else null
 * @param gap the knowledge-gap kind of an escalation ({@code none} when there is no gap), else null
 */
public record DeskOutcome(
        Status status,
        String intent,
        double confidence,
        String lane,
        @Nullable String reply,
        @Nullable String citedSource,
        @Nullable String summary,
        @Nullable String priority,
        @Nullable String gap) {

    public enum Status {
        REPLIED,
        ESCALATED
    }

    public DeskOutcome {
        Checks.notNull(status, "status");
        Checks.notNull(intent, "intent");
        Checks.notNull(lane, "lane");
    }

    public boolean escalated() {
        return status == Status.ESCALATED;
    }

    /**
     * Reads the outcome of a succeeded run.
     *
     * @throws IllegalStateException when the run did not succeed or is not a desk run
     */
    public static DeskOutcome of(RunResult run) {
        if (!run.succeeded()) {
            throw new IllegalStateException("run " + run.id() + " of " + run.workflow() + " ended " + run.status()
                    + run.findFailure().map(f -> ": " + f.message()).orElse(""));
        }
        return of(run.state());
    }

    public static DeskOutcome of(State state) {
        JsonNode classify = state.at("classify.output");
        String intent = classify.path("label").asText("none-of-these");
        double confidence = classify.path("confidence").asDouble(0);
        String lane = state.at("triage.output.lane").asText("human");
        if (state.has("reply")) {
            return new DeskOutcome(
                    Status.REPLIED,
                    intent,
                    confidence,
                    lane,
                    state.at("reply.output.text").asText(),
                    state.at("reply.output.citedSource").asText(),
                    null,
                    null,
                    null);
        }
        if (state.has("handoff")) {
            return new DeskOutcome(
                    Status.ESCALATED,
                    intent,
                    confidence,
                    lane,
                    null,
                    null,
                    state.at("handoff.output.summary").asText(),
                    state.at("handoff.output.priority").asText(),
                    state.at("gap.output.kind").asText("none"));
        }
        throw new IllegalStateException("the run's state has neither a reply nor a hand-off: " + state.names());
    }
}
