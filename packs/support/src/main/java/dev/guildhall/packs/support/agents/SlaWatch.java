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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Tier 3: finds the conversations that have waited longer than the workspace's service-level
 * targets, oldest wait first, so that staff take those before the rest:
 *
 * <ul>
 *   <li>{@code escalated-unanswered}: handed to a person, and no staff member has written since the
 *       customer's last message for longer than the response target;
 *   <li>{@code customer-waiting}: the customer's last message has had no reply (desk or staff) for
 *       longer than the response target;
 *   <li>{@code unresolved}: open longer than the resolution target.
 * </ul>
 *
 * A conversation breaching both a response and the resolution target is reported once, for the
 * response. Deterministic rules on facts the store reads.
 *
 * <p>Input {@code {"now", "responseMinutes", "resolutionHours", "conversations": [{"id", "status",
 * "createdAt", "lastCustomerMessageAt"?, "lastReplyAt"?}]}}; output {@code {"breaches": [{"id",
 * "kind", "waitingMinutes"}]}}.
 */
public final class SlaWatch implements Agent {
    public static final String ID = "sla-watch";

    private static final AgentDescriptor DESCRIPTOR = Descriptors.of(
            ID,
            "SLA watch",
            "Lists conversations waiting past the response or resolution targets, longest wait first.",
            Tier.OPERATIONAL,
            "sla",
            "operations");

    /** What the rule needs of one conversation. */
    public record Facts(
            String id,
            String status,
            Instant createdAt,
            @Nullable Instant lastCustomerMessageAt,
            @Nullable Instant lastReplyAt) {}

    /** One conversation past a target. */
    public record Breach(String id, String kind, long waitingMinutes) {}

    @Override
    public AgentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AgentResult run(AgentTask task, AgentContext context) {
        Instant now = Instant.parse(task.text("now"));
        List<Facts> facts = new ArrayList<>();
        for (JsonNode c : task.at("conversations")) {
            facts.add(new Facts(
                    c.path("id").asText(),
                    c.path("status").asText(),
                    Instant.parse(c.path("createdAt").asText()),
                    instantOrNull(c.path("lastCustomerMessageAt")),
                    instantOrNull(c.path("lastReplyAt"))));
        }
        List<Breach> breaches = watch(
                facts,
                now,
                Duration.ofMinutes(task.at("responseMinutes").asLong(60)),
                Duration.ofHours(task.at("resolutionHours").asLong(24)));
        ObjectNode out = Json.object();
        ArrayNode array = out.putArray("breaches");
        breaches.forEach(b ->
                array.addObject().put("id", b.id()).put("kind", b.kind()).put("waitingMinutes", b.waitingMinutes()));
        return AgentResult.deterministic(out, 1.0);
    }

    /** The rule, for callers that have the facts at hand (the SLA endpoint). */
    public static List<Breach> watch(List<Facts> conversations, Instant now, Duration response, Duration resolution) {
        List<Breach> out = new ArrayList<>();
        for (Facts c : conversations) {
            if (c.status().equals("resolved")) {
                continue;
            }
            Instant asked = c.lastCustomerMessageAt();
            // Replies are the desk's answers and staff messages; an escalation note is not one.
            boolean unanswered =
                    asked != null && (c.lastReplyAt() == null || c.lastReplyAt().isBefore(asked));
            if (unanswered) {
                Duration waiting = Duration.between(asked, now);
                if (waiting.compareTo(response) > 0) {
                    out.add(new Breach(
                            c.id(),
                            c.status().equals("escalated") ? "escalated-unanswered" : "customer-waiting",
                            waiting.toMinutes()));
                    continue;
                }
            }
            Duration open = Duration.between(c.createdAt(), now);
            if (open.compareTo(resolution) > 0) {
                out.add(new Breach(c.id(), "unresolved", open.toMinutes()));
            }
        }
        out.sort(Comparator.comparingLong(Breach::waitingMinutes).reversed().thenComparing(Breach::id));
        return out;
    }

    private static @Nullable Instant instantOrNull(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : Instant.parse(node.asText());
    }
}
