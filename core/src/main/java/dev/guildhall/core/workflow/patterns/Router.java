package dev.guildhall.core.workflow.patterns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.AgentId;
import dev.guildhall.core.Checks;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.agent.AgentUsage;
import dev.guildhall.core.agent.ResultMode;
import dev.guildhall.core.classify.Classification;
import dev.guildhall.core.classify.Classifier;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.StepContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Classify, then dispatch to one of N agents. A label without a route, an out-of-scope answer or
 * a confidence below {@code minConfidence} goes to the fallback agent when there is one, and
 * otherwise ends with an {@code escalate} hint: the router never guesses.
 *
 * <p>The output is {@code {"route", "label", "confidence", "output"}} where {@code output} is the
 * chosen agent's output (absent on escalation).
 */
public final class Router extends PatternStep {
    public static final String ESCALATED = "escalated";

    private final @Nullable Classifier classifier;
    private final @Nullable AgentId classifierAgent;
    private final String textField;
    private final Map<String, AgentId> routes;
    private final @Nullable AgentId fallback;
    private final double minConfidence;

    private Router(Builder b) {
        super(b.input, b.output);
        this.classifier = b.classifier;
        this.classifierAgent = b.classifierAgent;
        this.textField = b.textField;
        this.routes = Map.copyOf(b.routes);
        this.fallback = b.fallback;
        this.minConfidence = b.minConfidence;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected AgentResult perform(StepContext context, JsonNode input) {
        String text = input.path(textField).asText("");
        AgentResult classifierCall = classifierAgent == null
                ? null
                : context.call(
                        "classify", classifierAgent, AgentTask.of(Json.object().put(textField, text)));
        Classification c = classifier != null
                ? context.memo("classification", Classification.class, () -> classifier.classify(text))
                : classificationOf(classifierCall);
        AgentUsage classifying = classifierCall == null ? AgentUsage.NONE : classifierCall.usage();
        AgentId target = c.outOfScope() || c.confidence() < minConfidence ? null : routes.get(c.label());
        String route = target != null ? c.label() : fallback != null ? "fallback" : ESCALATED;
        if (target == null) {
            target = fallback;
        }
        ObjectNode out = Json.object();
        out.put("route", route);
        out.put("label", c.label());
        out.put("confidence", c.confidence());
        if (target == null) {
            out.put(
                    "reason",
                    c.outOfScope()
                            ? "out of scope"
                            : c.confidence() < minConfidence
                                    ? "confidence %.2f below %.2f".formatted(c.confidence(), minConfidence)
                                    : "no route for label " + c.label());
            return new AgentResult(
                    out,
                    c.confidence(),
                    List.of(),
                    List.of(AgentResult.ESCALATE),
                    classifying,
                    classifierCall == null ? ResultMode.DETERMINISTIC : classifierCall.mode());
        }
        AgentResult r = context.call("route", target, AgentTask.of(input));
        out.set("output", r.output());
        List<AgentResult> calls = classifierCall == null ? List.of(r) : List.of(classifierCall, r);
        return new AgentResult(
                out, r.confidence(), r.citations(), r.nextSteps(), Results.usage(calls), Results.mode(calls));
    }

    /** An agent as classifier: its output's {@code label} and its confidence. */
    private static Classification classificationOf(AgentResult r) {
        String label = r.output().path("label").asText("");
        return label.isBlank()
                ? Classification.of(Classification.NONE_OF_THESE, r.confidence())
                : Classification.of(label, r.confidence());
    }

    public static final class Builder extends PatternBuilder<Builder> {
        private Classifier classifier;
        private AgentId classifierAgent;
        private String textField = "message";
        private final Map<String, AgentId> routes = new LinkedHashMap<>();
        private @Nullable AgentId fallback;
        private double minConfidence = 0.5;

        private Builder() {
            super("routed");
        }

        public Builder classifier(Classifier c) {
            this.classifier = Checks.notNull(c, "classifier");
            return this;
        }

        /** Classifies with an agent whose output has a {@code label} field; its confidence is the result's. */
        public Builder classifierAgent(AgentId agent) {
            this.classifierAgent = Checks.notNull(agent, "classifierAgent");
            return this;
        }

        /** The input field holding the text to classify; {@code message} by default. */
        public Builder textField(String field) {
            this.textField = Checks.notBlank(field, "textField");
            return this;
        }

        public Builder route(String label, AgentId agent) {
            routes.put(Checks.notBlank(label, "label"), Checks.notNull(agent, "agent"));
            return this;
        }

        /** The agent for everything the routes do not take; without one, such messages escalate. */
        public Builder fallback(AgentId agent) {
            this.fallback = agent;
            return this;
        }

        public Builder minConfidence(double min) {
            this.minConfidence = Checks.between(min, 0.0, 1.0, "minConfidence");
            return this;
        }

        public Router build() {
            Checks.check(
                    classifier != null ^ classifierAgent != null,
                    "a router needs exactly one of classifier or classifierAgent");
            Checks.check(!routes.isEmpty(), "a router needs at least one route");
            return new Router(this);
        }
    }
}
