package dev.guildhall.core.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.Checks;
import dev.guildhall.core.json.Json;
import java.util.List;

/**
 * What an agent returns.
 *
 * @param output the result payload, usually a JSON object
 * @param confidence how sure the agent is, from 0 to 1; routers and verifiers act on it
 * @param citations the evidence the output rests on, possibly empty
 * @param nextSteps hints for the workflow such as {@code escalate} or an agent id to hand over to
 * @param mode whether a model generated the output or deterministic logic did
 */
public record AgentResult(
        JsonNode output,
        double confidence,
        List<Citation> citations,
        List<String> nextSteps,
        AgentUsage usage,
        ResultMode mode)
        implements dev.guildhall.core.json.JsonValue {

    public static final String ESCALATE = "escalate";

    public AgentResult {
        Checks.notNull(output, "output");
        Checks.between(confidence, 0.0, 1.0, "confidence");
        citations = citations == null ? List.of() : List.copyOf(citations);
        nextSteps = nextSteps == null ? List.of() : List.copyOf(nextSteps);
        usage = usage == null ? AgentUsage.NONE : usage;
        Checks.notNull(mode, "mode");
    }

    /** A deterministic result with full confidence. */
    public static AgentResult of(Object output) {
        return new AgentResult(
                Json.toTree(output), 1.0, List.of(), List.of(), AgentUsage.NONE, ResultMode.DETERMINISTIC);
    }

    public static AgentResult deterministic(JsonNode output, double confidence) {
        return new AgentResult(output, confidence, List.of(), List.of(), AgentUsage.NONE, ResultMode.DETERMINISTIC);
    }

    public static AgentResult generated(JsonNode output, double confidence, AgentUsage usage) {
        return new AgentResult(output, confidence, List.of(), List.of(), usage, ResultMode.MODEL);
    }

    public AgentResult withCitations(List<Citation> newCitations) {
        return new AgentResult(output, confidence, newCitations, nextSteps, usage, mode);
    }

    public AgentResult withNextSteps(List<String> steps) {
        return new AgentResult(output, confidence, citations, steps, usage, mode);
    }

    public AgentResult withConfidence(double newConfidence) {
        return new AgentResult(output, newConfidence, citations, nextSteps, usage, mode);
    }

    public boolean wantsEscalation() {
        return nextSteps.contains(ESCALATE);
    }

    /** The output's text: the string itself, or the {@code text} field of an object, or its JSON. */
    public String text() {
        if (output.isTextual()) {
            return output.asText();
        }
        if (output.has("text")) {
            return output.get("text").asText();
        }
        return output.toString();
    }

    /** The same tree Jackson writes for this record, built directly: results are converted on every step. */
    @Override
    public JsonNode toJson() {
        com.fasterxml.jackson.databind.node.ObjectNode node = Json.object();
        node.set("output", output);
        node.put("confidence", confidence);
        com.fasterxml.jackson.databind.node.ArrayNode cites = node.putArray("citations");
        for (Citation c : citations) {
            cites.addObject()
                    .put("source", c.source())
                    .put("title", c.title())
                    .put("quote", c.quote())
                    .put("score", c.score());
        }
        com.fasterxml.jackson.databind.node.ArrayNode next = node.putArray("nextSteps");
        nextSteps.forEach(next::add);
        node.putObject("usage")
                .put("modelCalls", usage.modelCalls())
                .put("inputTokens", usage.inputTokens())
                .put("outputTokens", usage.outputTokens())
                .put("cost", usage.cost());
        node.put("mode", mode.name());
        return node;
    }
}
