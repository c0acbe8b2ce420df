package dev.guildhall.core.workflow.patterns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.AgentId;
import dev.guildhall.core.Checks;
import dev.guildhall.core.NonRetryableException;
import dev.guildhall.core.RetryableException;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.agent.Citation;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.Failure;
import dev.guildhall.core.workflow.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Specialists answer the same question in parallel; a synthesiser merges their answers. Every
 * contribution stays attributed to its expert in the output, and every citation is kept.
 *
 * <p>The synthesiser gets {@code {"question", "contributions": [{"expert", "output",
 * "confidence", "citations"}]}}. The output is {@code {"synthesis", "contributions", "missing"}}
 * where {@code missing} lists experts that failed.
 */
public final class ExpertPanel extends PatternStep {
    private final List<AgentId> experts;
    private final AgentId synthesiser;
    private final int maxConcurrency;
    private final int minExperts;

    private ExpertPanel(Builder b) {
        super(b.input, b.output);
        this.experts = List.copyOf(b.experts);
        this.synthesiser = b.synthesiser;
        this.maxConcurrency = b.maxConcurrency;
        this.minExperts = b.minExperts == 0 ? experts.size() : b.minExperts;
    }

    public static Builder builder() {
        return new Builder();
    }

    private record Opinion(AgentId expert, AgentResult result, Failure failure) {}

    @Override
    protected AgentResult perform(StepContext context, JsonNode input) {
        List<Callable<Opinion>> asks = new ArrayList<>();
        for (AgentId e : experts) {
            asks.add(() -> {
                try {
                    return new Opinion(e, context.call("expert/" + e.value(), e, AgentTask.of(input)), null);
                } catch (RuntimeException ex) {
                    if (context.isCancelled()) {
                        throw ex;
                    }
                    return new Opinion(e, null, Failure.of(ex, e.value()));
                }
            });
        }
        List<Opinion> opinions = context.inParallel(asks, maxConcurrency);
        ArrayNode contributions = Json.mapper().createArrayNode();
        ArrayNode missing = Json.mapper().createArrayNode();
        List<AgentResult> all = new ArrayList<>();
        List<Citation> citations = new ArrayList<>();
        boolean worthRetrying = false;
        for (Opinion o : opinions) {
            if (o.result() == null) {
                missing.addObject()
                        .put("expert", o.expert().value())
                        .put("error", o.failure().toString());
                worthRetrying |= !o.failure().nonRetryable();
                continue;
            }
            all.add(o.result());
            citations.addAll(o.result().citations());
            ObjectNode c = contributions.addObject();
            c.put("expert", o.expert().value());
            c.set("output", o.result().output());
            c.put("confidence", o.result().confidence());
            c.set("citations", Json.toTree(o.result().citations()));
        }
        if (all.size() < minExperts) {
            String message = "only %d of %d experts answered, %d needed: %s"
                    .formatted(all.size(), experts.size(), minExperts, missing);
            throw worthRetrying ? new RetryableException(message) : new NonRetryableException(message);
        }
        ObjectNode ask = Json.object();
        ask.set("question", input);
        ask.set("contributions", contributions);
        AgentResult synthesis = context.call("synthesis", synthesiser, AgentTask.of(ask));
        all.add(synthesis);
        citations.addAll(synthesis.citations());
        ObjectNode out = Json.object();
        out.set("synthesis", synthesis.output());
        out.set("contributions", contributions);
        out.set("missing", missing);
        return new AgentResult(
                out,
                synthesis.confidence(),
                citations.stream().distinct().toList(),
                synthesis.nextSteps(),
                Results.usage(all),
                Results.mode(all));
    }

    public static final class Builder extends PatternBuilder<Builder> {
        private final List<AgentId> experts = new ArrayList<>();
        private AgentId synthesiser;
        private int maxConcurrency = 8;
        private int minExperts;

        private Builder() {
            super("panel");
        }

        public Builder expert(AgentId agent) {
            experts.add(Checks.notNull(agent, "expert"));
            return this;
        }

        public Builder synthesiser(AgentId agent) {
            this.synthesiser = Checks.notNull(agent, "synthesiser");
            return this;
        }

        public Builder maxConcurrency(int max) {
            this.maxConcurrency = Checks.positive(max, "maxConcurrency");
            return this;
        }

        /** How many experts must answer for the synthesis to go ahead; all of them by default. */
        public Builder minExperts(int min) {
            this.minExperts = Checks.positive(min, "minExperts");
            return this;
        }

        public ExpertPanel build() {
            Checks.notEmpty(experts, "experts");
            Checks.notNull(synthesiser, "synthesiser");
            Checks.check(
                    minExperts <= experts.size(),
                    "minExperts must be <= the number of experts (%d), was %d".formatted(experts.size(), minExperts));
            return new ExpertPanel(this);
        }
    }
}
