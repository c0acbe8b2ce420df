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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Tier 4: compares how many messages each intent drew in a window with the window before it, and
 * names the intents that rose or fell sharply: what a support lead looks at on Monday morning (a
 * failing card batch shows up as {@code card_not_working} doubling). Deterministic: an intent
 * rises when it had at least {@code minMessages} messages now and at least {@value #FACTOR} times
 * as many as before (counting one more on both sides, so an intent that was at zero needs
 * {@code minMessages} to count as new); it falls by the same factor the other way.
 *
 * <p>Input {@code {"current": {intent: count}, "previous": {intent: count}, "minMessages"?}};
 * output {@code {"rising": [...], "falling": [...], "summary"}}, each entry {@code {"intent",
 * "current", "previous", "change"}}, largest change first.
 */
public final class TrendAnalyst implements Agent {
    public static final String ID = "trend-analyst";
    static final double FACTOR = 1.5;
    static final int DEFAULT_MIN_MESSAGES = 5;

    private static final AgentDescriptor DESCRIPTOR = Descriptors.of(
            ID,
            "Trend analyst",
            "Names the intents whose message volume rose or fell sharply against the previous window.",
            Tier.ADVANCED,
            "trends",
            "analytics");

    /** One intent's movement between two windows. */
    public record Trend(String intent, long current, long previous) {
        public long change() {
            return current - previous;
        }
    }

    /** The intents that rose and fell, largest change first. */
    public record Trends(List<Trend> rising, List<Trend> falling) {}

    @Override
    public AgentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AgentResult run(AgentTask task, AgentContext context) {
        int min = task.at("minMessages").asInt(DEFAULT_MIN_MESSAGES);
        Trends trends = analyse(counts(task.at("current")), counts(task.at("previous")), min);
        ObjectNode out = Json.object();
        out.set("rising", entries(trends.rising()));
        out.set("falling", entries(trends.falling()));
        out.put("summary", summary(trends));
        return AgentResult.deterministic(out, 1.0);
    }

    /** The rule, for callers that have the counts at hand (the analytics API). */
    public static Trends analyse(Map<String, Long> current, Map<String, Long> previous, int minMessages) {
        List<Trend> rising = new ArrayList<>();
        List<Trend> falling = new ArrayList<>();
        TreeSet<String> intents = new TreeSet<>(current.keySet());
        intents.addAll(previous.keySet());
        for (String intent : intents) {
            long now = current.getOrDefault(intent, 0L);
            long before = previous.getOrDefault(intent, 0L);
            double ratio = (now + 1.0) / (before + 1.0);
            if (now >= minMessages && ratio >= FACTOR) {
                rising.add(new Trend(intent, now, before));
            } else if (before >= minMessages && ratio <= 1 / FACTOR) {
                falling.add(new Trend(intent, now, before));
            }
        }
        rising.sort(Comparator.comparingLong(Trend::change).reversed().thenComparing(Trend::intent));
        falling.sort(Comparator.comparingLong(Trend::change).thenComparing(Trend::intent));
        return new Trends(List.copyOf(rising), List.copyOf(falling));
    }

    static String summary(Trends t) {
        if (t.rising().isEmpty() && t.falling().isEmpty()) {
            return "no intent moved sharply";
        }
        List<String> parts = new ArrayList<>();
        t.rising().forEach(r -> parts.add(r.intent() + " up " + r.previous() + " -> " + r.current()));
        t.falling().forEach(f -> parts.add(f.intent() + " down " + f.previous() + " -> " + f.current()));
        return String.join("; ", parts);
    }

    private static Map<String, Long> counts(JsonNode node) {
        Map<String, Long> out = new TreeMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }

    private static ArrayNode entries(List<Trend> trends) {
        ArrayNode array = Json.mapper().createArrayNode();
        for (Trend t : trends) {
            array.addObject()
                    .put("intent", t.intent())
                    .put("current", t.current())
                    .put("previous", t.previous())
                    .put("change", t.change());
        }
        return array;
    }
}
