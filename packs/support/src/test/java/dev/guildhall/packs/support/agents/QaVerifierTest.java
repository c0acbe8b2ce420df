package dev.guildhall.packs.support.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.json.Json;
import org.junit.jupiter.api.Test;

class QaVerifierTest {
    private final QaVerifier verifier = new QaVerifier();

    private AgentResult verify(String intent, String answerIntent, String text, String quote) {
        ObjectNode task = Json.object();
        task.putObject("input").put("message", "question").put("intent", intent);
        task.putObject("candidate")
                .put("answered", true)
                .put("text", text)
                .put("intent", answerIntent)
                .put("passage", "faq/x.md#0");
        if (quote != null) {
            task.putArray("citations").addObject().put("source", "faq/x.md").put("quote", quote);
        } else {
            task.putArray("citations");
        }
        return verifier.run(AgentTask.of(task), AgentContext.standalone(verifier.descriptor(), WorkspaceId.of("w")));
    }

    @Test
    void passes_a_grounded_on_intent_answer_within_policy() {
        String text = "Freeze the card in the app, then order a new one. Never share your PIN with anyone.";
        AgentResult r = verify("lost_or_stolen_card", "lost_or_stolen_card", text, "Intro. " + text + " More.");

        assertThat(r.output().path("passed").asBoolean()).isTrue();
    }

    @Test
    void rejects_text_not_found_in_the_cited_passage() {
        AgentResult r =
                verify("card_arrival", "card_arrival", "Cards arrive tomorrow.", "Cards arrive in 3 to 5 days.");

        assertThat(r.output().path("passed").asBoolean()).isFalse();
        assertThat(r.output().at("/checks/grounded").asBoolean()).isFalse();
        assertThat(r.output().path("feedback").asText()).contains("faq/x.md#0").contains("grounded");
    }

    @Test
    void rejects_an_answer_without_citation() {
        AgentResult r = verify("card_arrival", "card_arrival", "Cards arrive in 3 to 5 days.", null);

        assertThat(r.output().at("/checks/cited").asBoolean()).isFalse();
        assertThat(r.output().path("passed").asBoolean()).isFalse();
    }

    @Test
    void rejects_a_passage_of_another_intent() {
        String text = "Cards arrive in 3 to 5 days.";
        AgentResult r = verify("card_arrival", "card_delivery_estimate", text, text);

        assertThat(r.output().at("/checks/on-intent").asBoolean()).isFalse();
    }

    @Test
    void rejects_requests_for_secrets_but_not_advice_to_keep_them() {
        assertThat(QaVerifier.asksForSecrets("Please reply with your PIN so we can check."))
                .isTrue();
        assertThat(QaVerifier.asksForSecrets("Send us the full card number and expiry date."))
                .isTrue();
        assertThat(QaVerifier.asksForSecrets("Never share your PIN with anyone."))
                .isFalse();
        assertThat(QaVerifier.asksForSecrets("We will not ask you to tell us your password."))
                .isFalse();
        assertThat(QaVerifier.asksForSecrets("Enter your current PIN at the ATM."))
                .isFalse();
    }

    @Test
    void rejects_promised_outcomes() {
        String text = "We guarantee a refund within a day.";
        AgentResult r = verify("request_refund", "request_refund", text, text);

        assertThat(r.output().at("/checks/no-guarantees").asBoolean()).isFalse();
    }
}
