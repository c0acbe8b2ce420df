package dev.guildhall.core.workflow.patterns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.AgentId;
import dev.guildhall.core.Checks;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.StepContext;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Producer, then verifier; on rejection the producer tries again with the verifier's feedback, at
 * most {@code maxAttempts} times in all, and then the case escalates: to an escalation agent when
 * one is set, and otherwise as a result with an {@code escalate} hint.
 *
 * <p>The producer gets the input plus {@code "attempt"} and, after a rejection, {@code "feedback"}.
 * The verifier gets {@code {"input", "candidate", "citations"}} and answers {@code {"passed":
 * bool, "feedback": text}}. The output is {@code {"verified", "attempts", "answer", "feedback":
 * [...]}}; a verified result carries the producer's citations.
 */
public final class Verification extends PatternStep {
    private final AgentId producer;
    private final AgentId verifier;
    private final int maxAttempts;
    private final @Nullable AgentId escalation;

    private Verification(Builder b) {
        super(b.input, b.output);
        this.producer = b.producer;
        this.verifier = b.verifier;
        this.maxAttempts = b.maxAttempts;
        this.escalation = b.escalation;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected AgentResult perform(StepContext context, JsonNode input) {
        List<AgentResult> all = new ArrayList<>();
        ArrayNode feedback = Json.mapper().createArrayNode();
        AgentResult candidate = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            ObjectNode task = input.isObject()
                    ? ((ObjectNode) input).deepCopy()
                    : Json.object().set("input", input);
            task.put("attempt", attempt);
            if (!feedback.isEmpty()) {
                task.put("feedback", feedback.get(feedback.size() - 1).asText());
            }
            candidate = context.call("produce" + attempt, producer, AgentTask.of(task));
            all.add(candidate);
            ObjectNode check = Json.object();
            check.set("input", input);
            check.set("candidate", candidate.output());
            check.set("citations", Json.toTree(candidate.citations()));
            AgentResult verdict = context.call("verify" + attempt, verifier, AgentTask.of(check));
            all.add(verdict);
            if (verdict.output().path("passed").asBoolean(false)) {
                ObjectNode out = result(true, attempt, candidate, feedback);
                return new AgentResult(
                        out,
                        Math.min(candidate.confidence(), verdict.confidence()),
                        candidate.citations(),
                        candidate.nextSteps(),
                        Results.usage(all),
                        Results.mode(all));
            }
            feedback.add(verdict.output().path("feedback").asText("rejected without feedback"));
        }
        ObjectNode out = result(false, maxAttempts, candidate, feedback);
        if (escalation != null) {
            AgentResult handled = context.call("escalate", escalation, AgentTask.of(out));
            all.add(handled);
            out.set("escalation", handled.output());
            return new AgentResult(
                    out,
                    handled.confidence(),
                    handled.citations(),
                    handled.nextSteps(),
                    Results.usage(all),
                    Results.mode(all));
        }
        return new AgentResult(
                out, 0.0, List.of(), List.of(AgentResult.ESCALATE), Results.usage(all), Results.mode(all));
    }

    private static ObjectNode result(boolean verified, int attempts, AgentResult candidate, ArrayNode feedback) {
        ObjectNode out = Json.object();
        out.put("verified", verified);
        out.put("attempts", attempts);
        out.set("answer", candidate.output());
        out.set("feedback", feedback);
        return out;
    }

    public static final class Builder extends PatternBuilder<Builder> {
        private AgentId producer;
        private AgentId verifier;
        private int maxAttempts = 3;
        private @Nullable AgentId escalation;

        private Builder() {
            super("verified");
        }

        public Builder producer(AgentId agent) {
            this.producer = Checks.notNull(agent, "producer");
            return this;
        }

        public Builder verifier(AgentId agent) {
            this.verifier = Checks.notNull(agent, "verifier");
            return this;
        }

        /** Producer attempts in all, including the first. */
        public Builder maxAttempts(int max) {
            this.maxAttempts = Checks.positive(max, "maxAttempts");
            return this;
        }

        /** The agent that takes over after the last rejected attempt, for example a human hand-off. */
        public Builder escalateTo(AgentId agent) {
            this.escalation = agent;
            return this;
        }

        public Verification build() {
            Checks.notNull(producer, "producer");
            Checks.notNull(verifier, "verifier");
            return new Verification(this);
        }
    }
}
