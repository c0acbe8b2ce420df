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
import java.util.regex.Pattern;

/**
 * Tier 3 QA review, the verifier of the desk's {@code verify} step. An answer passes only when
 * every check holds:
 *
 * <ul>
 *   <li><b>answered</b>: there is an answer;
 *   <li><b>cited</b>: it carries at least one citation;
 *   <li><b>grounded</b>: its text appears verbatim (spacing aside) in a cited passage;
 *   <li><b>on-intent</b>: the passage belongs to the intent the message was routed to;
 *   <li><b>policy</b>: it never asks for secrets (PIN, password, passcode, full card number, CVV),
 *       promises no guaranteed outcome, holds no internal-only note, and is at most {@value
 *       #MAX_LENGTH} characters.
 * </ul>
 *
 * A failure's feedback names the passage ({@code document#chunk}) and the checks it failed, so
 * the answerer's next attempt can skip it.
 *
 * <p>Input {@code {"input", "candidate", "citations"}} (the verification pattern's); output
 * {@code {"passed", "feedback", "checks": {name: bool}}}.
 */
public final class QaVerifier implements Agent {
    public static final String ID = "qa-verifier";
    public static final int MAX_LENGTH = 1200;

    private static final Pattern ASKS_FOR_SECRETS = Pattern.compile(
            "(?i)\\b(send|tell|give|share|email|provide|reply with)\\b[^.?!]{0,40}\\b(pin|password|passcode|cvv|cvc|security code|full card number|one-time code)\\b");
    /** "Never share your PIN" is advice, not a request: a negation up to five words before the verb clears it. */
    private static final Pattern NEGATION =
            Pattern.compile("(?i)(\\bnever|\\bnot|n't|\\bno one|\\bnobody)\\W+(\\w+\\W+){0,4}$");

    private static final Pattern GUARANTEES =
            Pattern.compile("(?i)\\b(guarantee[ds]?|100 ?%|always refund|will definitely|risk-free)\\b");
    private static final Pattern INTERNAL = Pattern.compile("(?i)\\b(internal only|do not share with customers)\\b");

    private static final AgentDescriptor DESCRIPTOR = Descriptors.of(
            ID,
            "QA verifier",
            "Checks an answer is grounded in its cited passage, on the routed intent and within policy.",
            Tier.OPERATIONAL,
            "verify",
            "qa",
            "policy");

    @Override
    public AgentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AgentResult run(AgentTask task, AgentContext context) {
        JsonNode candidate = task.at("candidate");
        JsonNode citations = task.at("citations");
        String text = candidate.path("text").asText("");
        String routed = task.text("input.intent");
        ObjectNode checks = Json.object();
        boolean answered = candidate.path("answered").asBoolean(false) && !text.isBlank();
        boolean cited = citations.isArray() && !citations.isEmpty();
        boolean grounded = false;
        if (answered && cited) {
            String needle = normalise(text);
            for (JsonNode c : citations) {
                grounded |= normalise(c.path("quote").asText("")).contains(needle);
            }
        }
        boolean onIntent =
                routed.isBlank() || routed.equals(candidate.path("intent").asText(""));
        boolean noSecrets = !asksForSecrets(text);
        boolean noGuarantees = !GUARANTEES.matcher(text).find();
        boolean notInternal = !INTERNAL.matcher(text).find();
        boolean shortEnough = text.length() <= MAX_LENGTH;
        checks.put("answered", answered).put("cited", cited).put("grounded", grounded);
        checks.put("on-intent", onIntent).put("no-secrets", noSecrets).put("no-guarantees", noGuarantees);
        checks.put("not-internal", notInternal).put("length", shortEnough);
        List<String> failed = new ArrayList<>();
        checks.fields().forEachRemaining(e -> {
            if (!e.getValue().asBoolean()) {
                failed.add(e.getKey());
            }
        });
        ObjectNode out = Json.object();
        out.put("passed", failed.isEmpty());
        out.put(
                "feedback",
                failed.isEmpty()
                        ? "grounded in the cited passage and within policy"
                        : "passage " + candidate.path("passage").asText("(none)") + " failed "
                                + String.join(", ", failed)
                                + (answered
                                        ? ""
                                        : ": " + candidate.path("reason").asText("no answer")));
        out.set("checks", checks);
        return AgentResult.deterministic(out, 1.0);
    }

    static boolean asksForSecrets(String text) {
        java.util.regex.Matcher m = ASKS_FOR_SECRETS.matcher(text);
        while (m.find()) {
            String before = text.substring(Math.max(0, m.start() - 30), m.start());
            if (!NEGATION.matcher(before).find()) {
                return true;
            }
        }
        return false;
    }

    private static String normalise(String s) {
        return s.replaceAll("\\s+", " ").trim().toLowerCase(java.util.Locale.ROOT);
    }
}
