package dev.guildhall.core.registry.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Keyword classification. A label's raw score is the share of its keywords found in the text (so a
 * label with many keywords is not favoured); scores are then normalised to sum to 1. The best label
 * wins (the first declared on a tie) and the confidence is its share. With no hit at all the label
 * is {@code otherwise} with confidence 0.
 *
 * @param escalateBelow when the confidence is below this, next steps say {@code escalate}; null for never
 */
public record ClassifyFallback(
        TemplateText text, Map<String, Keywords> labels, String otherwise, @Nullable Double escalateBelow)
        implements Fallback {

    public ClassifyFallback {
        labels = new LinkedHashMap<>(labels);
    }

    @Override
    public String kind() {
        return "classify";
    }

    @Override
    public AgentResult run(RenderContext values, AgentContext context) {
        String input = text.render(values.root());
        Map<String, Double> raw = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, Keywords> e : labels.entrySet()) {
            double r = (double) e.getValue().hits(input) / e.getValue().words().size();
            raw.put(e.getKey(), r);
            total += r;
        }
        String best = otherwise;
        double bestScore = 0;
        ObjectNode scores = Json.object();
        for (Map.Entry<String, Double> e : raw.entrySet()) {
            double share = total == 0 ? 0 : e.getValue() / total;
            scores.put(e.getKey(), Math.round(share * 10_000) / 10_000.0);
            if (share > bestScore) {
                best = e.getKey();
                bestScore = share;
            }
        }
        ObjectNode out = Json.object().put("label", best);
        out.set("scores", scores);
        AgentResult result = AgentResult.deterministic(out, Math.min(1.0, bestScore));
        return escalateBelow != null && bestScore < escalateBelow
                ? result.withNextSteps(List.of(AgentResult.ESCALATE))
                : result;
    }
}
