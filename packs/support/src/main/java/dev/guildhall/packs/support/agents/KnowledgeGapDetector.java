package dev.guildhall.packs.support.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentDescriptor;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.agent.Tier;
import dev.guildhall.core.json.Json;
import java.util.Map;

/**
 * Tier 4: decides whether an escalated case shows a gap in the help centre, so that the content
 * team writes the missing article instead of staff answering the same question by hand:
 *
 * <ul>
 *   <li>{@code missing-article}: the message was routed to an intent that has no article;
 *   <li>{@code article-rejected}: the article exists but no passage of it passed QA;
 *   <li>{@code unrouted}: no intent fits (a candidate for a new intent if it recurs);
 *   <li>{@code none}: the case escalated for another reason (a high-value case), no gap.
 * </ul>
 *
 * It checks the collection itself rather than trusting the answerer's note.
 *
 * <p>Input {@code {"message", "classify", "answer", "triage"}}; output {@code {"gap", "kind",
 * "intent", "question", "suggestion"}}.
 */
public final class KnowledgeGapDetector implements Agent {
    public static final String ID = "knowledge-gap";

    private static final AgentDescriptor DESCRIPTOR = Descriptors.of(
            ID,
            "Knowledge-gap detector",
            "Flags escalations that show a missing or failing help-centre article.",
            Tier.ADVANCED,
            "knowledge-gaps",
            "content");

    @Override
    public AgentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AgentResult run(AgentTask task, AgentContext context) {
        JsonNode classify = task.at("classify");
        String message = task.text("message");
        String intent = classify.path("label").asText("");
        boolean routed = "answer".equals(classify.path("route").asText());
        JsonNode answer = task.at("answer");
        String kind;
        String suggestion;
        if (!routed) {
            kind = "unrouted";
            suggestion = "no intent fits; if messages like this recur, add an intent with examples and an article";
        } else if ("panel".equals(task.at("triage").path("lane").asText())) {
            kind = "none";
            suggestion = "escalated as a high-value case, not for lack of content";
        } else if (context.knowledge()
                .search(KnowledgeAnswerer.COLLECTION, message, 1, Map.of("intent", intent))
                .isEmpty()) {
            kind = "missing-article";
            suggestion = "write an article for intent " + intent + " in collection " + KnowledgeAnswerer.COLLECTION
                    + " (metadata intent=" + intent + ")";
        } else if (answer.has("verified") && !answer.path("verified").asBoolean()) {
            kind = "article-rejected";
            suggestion = "revise the article for " + intent + ": " + answer.path("feedback");
        } else {
            kind = "none";
            suggestion = "no content change needed";
        }
        ObjectNode out = Json.object();
        out.put("gap", !kind.equals("none"));
        out.put("kind", kind);
        out.put("intent", intent);
        out.put("question", message);
        out.put("suggestion", suggestion);
        return AgentResult.deterministic(out, 1.0);
    }
}
