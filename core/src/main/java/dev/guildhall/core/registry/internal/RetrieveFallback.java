package dev.guildhall.core.registry.internal;

import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.knowledge.Passage;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers with the best passage from the workspace's knowledge, quoted verbatim and cited, or
 * escalates when no passage scores at least {@code minScore}. It never paraphrases: without a
 * model there is nobody to paraphrase.
 */
public record RetrieveFallback(
        String collection, TemplateText query, int k, double minScore, Map<String, String> filters)
        implements Fallback {

    public RetrieveFallback {
        filters = Map.copyOf(filters);
    }

    @Override
    public String kind() {
        return "retrieve";
    }

    @Override
    public AgentResult run(RenderContext values, AgentContext context) {
        if (!context.knowledge().available()) {
            return Outcome.escalation("no knowledge is configured to search collection '" + collection + "'");
        }
        String q = query.render(values.root());
        List<Passage> hits = context.knowledge().search(collection, q, k, filters);
        Optional<Passage> best = hits.stream().max(Comparator.comparingDouble(Passage::score));
        if (best.isEmpty() || best.get().score() < minScore) {
            return Outcome.escalation("no passage in '" + collection + "' scored at least " + minScore
                    + (best.isEmpty() ? "" : " (best was " + best.get().score() + ")"));
        }
        Passage p = best.get();
        var out = Json.object()
                .put("text", p.text())
                .put("source", p.documentId())
                .put("title", p.title())
                .put("score", p.score());
        double confidence = Math.max(0.0, Math.min(1.0, p.score()));
        return AgentResult.deterministic(out, confidence).withCitations(List.of(p.toCitation()));
    }
}
