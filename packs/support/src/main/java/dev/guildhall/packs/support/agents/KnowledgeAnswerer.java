package dev.guildhall.packs.support.agents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentDescriptor;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.agent.Tier;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.knowledge.Passage;
import java.util.List;
import java.util.Map;

/**
 * Tier 1: answers from the workspace's support collection, extractively. The answer is the best
 * passage of the article written for the routed intent (documents carry {@code intent} metadata),
 * quoted verbatim and cited; nothing is generated. When the verifier rejected a passage, the next
 * attempt skips it (the feedback names it) and takes the article's next-best passage. No article,
 * or none left, is {@code answered: false}, which the verifier rejects and the desk escalates.
 *
 * <p>Input {@code {"message", "intent", "feedback"?}}; output {@code {"answered", "text", "intent",
 * "passage", "title", "source", "mode": "extractive"}} with one citation.
 */
public final class KnowledgeAnswerer implements Agent {
    public static final String ID = "knowledge-answerer";
    /** The collection the desk answers from, in each workspace. */
    public static final String COLLECTION = "support-faq";
    /** Passages of the routed intent's article considered per attempt. */
    static final int CANDIDATES = 3;

    private static final AgentDescriptor DESCRIPTOR = Descriptors.of(
            ID,
            "Knowledge answerer",
            "Quotes the best passage of the routed intent's help-centre article, with its citation.",
            Tier.ESSENTIAL,
            "answer",
            "knowledge");

    @Override
    public AgentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AgentResult run(AgentTask task, AgentContext context) {
        String message = task.text("message");
        String intent = task.text("intent");
        String feedback = task.text("feedback");
        ObjectNode out = Json.object();
        out.put("intent", intent);
        out.put("mode", "extractive");
        if (intent.isBlank() || message.isBlank()) {
            return unanswered(out, "no intent to answer for");
        }
        List<Passage> passages = context.knowledge().search(COLLECTION, message, CANDIDATES, Map.of("intent", intent));
        for (Passage p : passages) {
            String key = passageKey(p);
            if (!feedback.isBlank() && feedback.contains(key)) {
                continue; // The verifier rejected this passage on an earlier attempt.
            }
            out.put("answered", true);
            out.put("text", p.text());
            out.put("passage", key);
            out.put("title", p.title());
            out.put("source", p.documentId());
            return AgentResult.deterministic(out, Math.max(0.0, Math.min(1.0, p.score())))
                    .withCitations(List.of(p.toCitation()));
        }
        return unanswered(
                out,
                passages.isEmpty()
                        ? "the collection " + COLLECTION + " has no article for intent " + intent
                        : "every passage of the article for " + intent + " was rejected");
    }

    /** How feedback names a passage: {@code document#chunk}. */
    public static String passageKey(Passage p) {
        return p.documentId() + "#" + p.metadata().getOrDefault("chunk", "0");
    }

    private static AgentResult unanswered(ObjectNode out, String reason) {
        out.put("answered", false);
        out.put("reason", reason);
        return AgentResult.deterministic(out, 0.0);
    }
}
