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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tier 3: hands a case to a person with what they need to pick it up at once: why the desk did not
 * answer, who the customer is, what the router, sentiment and churn checks found, what answer was
 * tried and why it was rejected, and the expert panel's brief for high-value cases. The summary is
 * assembled from those facts, not generated, and says so.
 *
 * <p>Input {@code {"message", "classify", "sentiment", "churn", "customer", "triage", "answer",
 * "panel"}} (each the output of that step, absent when the step did not run); output {@code
 * {"escalated": true, "queue", "priority", "reason", "summary"}}.
 */
public final class EscalationAgent implements Agent {
    public static final String ID = "escalation";
    /** Lifetime value from which a case is high priority whatever else holds. */
    public static final double HIGH_VALUE = 10_000;

    private static final AgentDescriptor DESCRIPTOR = Descriptors.of(
            ID,
            "Escalation",
            "Hands the case to a person with a summary of the customer, the routing and why it was not answered.",
            Tier.OPERATIONAL,
            "escalate",
            "handoff",
            "summarise");

    @Override
    public AgentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AgentResult run(AgentTask task, AgentContext context) {
        JsonNode classify = task.at("classify");
        JsonNode customer = task.at("customer");
        JsonNode answer = task.at("answer");
        JsonNode panel = task.at("panel");
        String sentiment = task.at("sentiment").path("label").asText("unknown");
        String churn = task.at("churn").path("risk").asText("unknown");
        String intent = classify.path("label").asText("none-of-these");
        String lane = task.at("triage").path("lane").asText("");
        double ltv = customer.path("lifetimeValue").asDouble(0);

        String reason;
        if ("escalated".equals(classify.path("route").asText())) {
            reason = "not routed: " + classify.path("reason").asText("the router could not place the message");
        } else if ("panel".equals(lane)) {
            reason = "high-value case: reviewed by the expert panel, a person replies";
        } else if (answer.has("verified") && !answer.path("verified").asBoolean()) {
            reason = "no answer passed verification after "
                    + answer.path("attempts").asInt() + " attempt(s): " + last(answer.path("feedback"));
        } else {
            reason = task.text("reason").isBlank() ? "handed over by the workflow" : task.text("reason");
        }
        boolean high = ltv >= HIGH_VALUE || "negative".equals(sentiment) || "high".equals(churn);

        List<String> lines = new ArrayList<>();
        lines.add("Customer: "
                + (customer.path("known").asBoolean(false)
                        ? "%s (%s plan, lifetime value %.0f, %s, %d open issue(s))"
                                .formatted(
                                        customer.path("name")
                                                .asText(customer.path("customerId")
                                                        .asText()),
                                        customer.path("plan").asText(),
                                        ltv,
                                        customer.path("health").asText(),
                                        customer.path("openIssues").asInt())
                        : "unknown"));
        lines.add("Message: \"" + task.text("message") + "\"");
        lines.add("Intent: %s (confidence %.2f)"
                .formatted(intent, classify.path("confidence").asDouble(0)));
        lines.add("Sentiment: " + sentiment + "; churn risk: " + churn);
        lines.add("Why a person: " + reason);
        if (answer.path("answer").has("title")) {
            lines.add("Answer tried: \"" + answer.path("answer").path("title").asText() + "\" ("
                    + answer.path("answer").path("passage").asText() + ")");
        }
        if (panel.has("synthesis")) {
            lines.add("Panel brief: " + panel.path("synthesis").path("summary").asText());
        }
        JsonNode recent = customer.path("recentConversations");
        if (recent.isArray() && !recent.isEmpty()) {
            lines.add("Recent: " + recent.get(0).asText());
        }
        lines.add("(summary assembled from the desk's findings; no model was used)");

        ObjectNode out = Json.object();
        out.put("escalated", true);
        out.put("queue", queue(intent));
        out.put("priority", high ? "high" : "normal");
        out.put("reason", reason);
        out.put("summary", String.join("\n", lines));
        return AgentResult.deterministic(out, 1.0).withNextSteps(List.of(AgentResult.ESCALATE));
    }

    private static String last(JsonNode feedback) {
        return feedback.isArray() && !feedback.isEmpty()
                ? feedback.get(feedback.size() - 1).asText()
                : "no feedback";
    }

    /** The team queue: the intent's first word (cards, transfer, top-up...), or general. */
    private static String queue(String intent) {
        if (intent.isBlank() || intent.equals("none-of-these")) {
            return "general";
        }
        String lower = intent.toLowerCase(Locale.ROOT);
        if (lower.contains("card") || lower.contains("pin") || lower.contains("atm") || lower.contains("contactless")) {
            return "cards";
        }
        if (lower.contains("transfer") || lower.contains("beneficiary") || lower.contains("receiving")) {
            return "payments";
        }
        if (lower.contains("top_up") || lower.contains("topping")) {
            return "top-ups";
        }
        if (lower.contains("verify") || lower.contains("identity") || lower.contains("passcode")) {
            return "identity";
        }
        if (lower.contains("exchange") || lower.contains("currency") || lower.contains("fiat")) {
            return "fx";
        }
        return "general";
    }
}
