package dev.guildhall.packs.support.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentDescriptor;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.agent.Tier;
import dev.guildhall.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Tier 4: the expert panel's synthesiser. Merges the specialists' findings into one brief for the
 * person who takes a high-value case: one line per expert with what it found (the help-centre
 * article, the churn risk and retention offer, the billing dispute), and the actions they
 * recommend. Everything is attributed; without a model nothing is reworded.
 *
 * <p>Input {@code {"question", "contributions": [{"expert", "output", "confidence"}]}}; output
 * {@code {"summary", "findings": [...], "actions": [...]}}.
 */
public final class CaseSummariser implements Agent {
    public static final String ID = "panel-summariser";

    private static final AgentDescriptor DESCRIPTOR = Descriptors.of(
            ID,
            "Case summariser",
            "Merges the expert panel's findings into one attributed brief with recommended actions.",
            Tier.ADVANCED,
            "summarise",
            "panel");

    @Override
    public AgentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AgentResult run(AgentTask task, AgentContext context) {
        List<String> findings = new ArrayList<>();
        ArrayNode actions = Json.mapper().createArrayNode();
        for (JsonNode c : task.at("contributions")) {
            String expert = c.path("expert").asText();
            JsonNode out = c.path("output");
            if (c.has("error")) {
                findings.add(expert + ": did not answer (" + c.path("error").asText() + ")");
                continue;
            }
            String finding = describe(out);
            findings.add(expert + ": " + finding);
            for (String field : List.of("action", "offer")) {
                if (out.hasNonNull(field) && !out.path(field).asText().isBlank()) {
                    actions.add(out.path(field).asText());
                }
            }
        }
        ObjectNode result = Json.object();
        result.put("summary", String.join("; ", findings));
        ArrayNode list = result.putArray("findings");
        findings.forEach(list::add);
        result.set("actions", actions);
        return AgentResult.deterministic(result, findings.isEmpty() ? 0.0 : 1.0);
    }

    /** The telling fields of an expert's output, in a fixed order. */
    private static String describe(JsonNode out) {
        if (out.has("answered")) {
            return out.path("answered").asBoolean()
                    ? "help-centre article \"" + out.path("title").asText() + "\" applies"
                    : "no help-centre article (" + out.path("reason").asText() + ")";
        }
        List<String> parts = new ArrayList<>();
        for (String field : List.of("risk", "dispute", "label", "text")) {
            if (out.hasNonNull(field)) {
                parts.add(field + " " + out.path(field).asText());
            }
        }
        return parts.isEmpty() ? out.toString() : String.join(", ", parts);
    }
}
