package dev.guildhall.core.registry;

import static dev.guildhall.core.registry.Agents.agentOf;
import static dev.guildhall.core.registry.Agents.contextFor;
import static dev.guildhall.core.registry.Agents.run;
import static dev.guildhall.core.registry.Agents.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guildhall.core.NonRetryableException;
import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.agent.Citation;
import dev.guildhall.core.agent.ResultMode;
import dev.guildhall.core.gateway.ChatMessage;
import dev.guildhall.core.gateway.ModelUnavailableException;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.knowledge.KnowledgeSearch;
import dev.guildhall.core.knowledge.Passage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FallbackTest {

    @Test
    void template_renders_a_fixed_reply_with_inputs_defaults_and_built_ins() {
        Agent agent = agentOf(
                """
                id: acknowledger
                inputs:
                  customer.name: {required: true}
                  customer.plan: {default: basic}
                fallback:
                  kind: template
                  reply: "Thanks {{customer.name}} ({{customer.plan}} plan), we logged your message on {{today}} as {{run.id}}."
                  output: {ticket: "{{run.id}}", priority: 2}
                  confidence: 0.9
                """);

        AgentResult result = run(agent, Map.of("customer", Map.of("name", "Ada")));

        assertThat(result.mode()).isEqualTo(ResultMode.DETERMINISTIC);
        assertThat(result.text()).isEqualTo("Thanks Ada (basic plan), we logged your message on 2026-03-14 as run-1.");
        assertThat(result.output().get("ticket").asText()).isEqualTo("run-1");
        assertThat(result.output().get("priority").asInt()).isEqualTo(2);
        assertThat(result.confidence()).isEqualTo(0.9);
        assertThat(result.usage().modelCalls()).isZero();
    }

    @Test
    void template_never_escapes_html_and_renders_objects_as_json() {
        Agent agent = agentOf(
                """
                id: echo
                inputs: [message, order]
                fallback: {kind: template, reply: "{{message}} / {{order}}"}
                """);

        assertThat(run(agent, Map.of("message", "<b>5 > 3</b> & \"quoted\"", "order", Map.of("id", 7)))
                        .text())
                .isEqualTo("<b>5 > 3</b> & \"quoted\" / {\"id\":7}");
    }

    @Test
    void a_missing_required_input_fails_without_retry() {
        Agent agent = agentOf(
                """
                id: strict
                inputs: {message: {required: true}}
                fallback: {kind: template, reply: "{{message}}"}
                """);

        assertThatThrownBy(() -> run(agent, Map.of("other", "x")))
                .isInstanceOf(NonRetryableException.class)
                .hasMessage("Agent strict (agent.yaml) needs input message, missing from the task");
    }

    private static final String ROUTER =
            """
            id: router
            inputs: [message, amount, plan, email]
            fallback:
              kind: rules
              rules:
                - when: {field: message, containsAny: [refund, "money back"]}
                  output: {route: refunds, reply: "Routing your refund for {{amount}}"}
                  confidence: 0.8
                  nextSteps: [refunds]
                - when:
                    - {field: amount, greaterThan: 1000}
                    - {field: plan, equals: enterprise}
                  output: {route: account-manager}
                - when: {field: email, matches: "@example\\\\.com$"}
                  output: {route: internal}
                - when: {field: amount, lessThan: 0}
                  output: {route: fraud-review}
                  nextSteps: [escalate]
              default:
                output: {route: general}
                confidence: 0.3
            ---
            id: refunds
            fallback: {kind: escalate}
            """;

    private static AgentResult route(Map<String, ?> input) {
        Agent router = Agents.registryOf("router.yaml", ROUTER).get(dev.guildhall.core.AgentId.of("router"));
        return run(router, input);
    }

    @Test
    void rules_return_the_first_matching_rule() {
        AgentResult refund = route(Map.of("message", "I want my Money back!", "amount", 1500, "plan", "enterprise"));

        assertThat(refund.output().get("route").asText()).isEqualTo("refunds");
        assertThat(refund.output().get("reply").asText()).isEqualTo("Routing your refund for 1500");
        assertThat(refund.confidence()).isEqualTo(0.8);
        assertThat(refund.nextSteps()).containsExactly("refunds");
        assertThat(refund.mode()).isEqualTo(ResultMode.DETERMINISTIC);
    }

    @Test
    void keywords_match_at_the_start_of_words_case_insensitively() {
        assertThat(route(Map.of("message", "REFUNDED twice"))
                        .output()
                        .get("route")
                        .asText())
                .isEqualTo("refunds");
        assertThat(route(Map.of("message", "a prerefund question"))
                        .output()
                        .get("route")
                        .asText())
                .isEqualTo("general");
    }

    @Test
    void rules_combine_conditions_of_a_list_with_and_and_compare_numbers() {
        assertThat(route(Map.of("amount", "2000", "plan", "enterprise"))
                        .output()
                        .get("route")
                        .asText())
                .isEqualTo("account-manager");
        assertThat(route(Map.of("amount", 2000, "plan", "basic"))
                        .output()
                        .get("route")
                        .asText())
                .isEqualTo("general");
        assertThat(route(Map.of("amount", -5)).nextSteps()).containsExactly("escalate");
    }

    @Test
    void rules_match_regular_expressions() {
        assertThat(route(Map.of("email", "ada@example.com"))
                        .output()
                        .get("route")
                        .asText())
                .isEqualTo("internal");
        assertThat(route(Map.of("email", "ada@example.org"))
                        .output()
                        .get("route")
                        .asText())
                .isEqualTo("general");
    }

    @Test
    void rules_fall_back_to_the_default() {
        AgentResult result = route(Map.of("message", "hello"));

        assertThat(result.output()).isEqualTo(Json.parse("{\"route\":\"general\"}"));
        assertThat(result.confidence()).isEqualTo(0.3);
        assertThat(result.nextSteps()).isEmpty();
    }

    @Test
    void rules_without_a_default_escalate_when_nothing_matches() {
        Agent agent = agentOf(
                """
                id: picky
                inputs: [message]
                fallback:
                  kind: rules
                  rules:
                    - when: {field: message, equals: yes}
                      output: {ok: true}
                """);

        AgentResult result = run(agent, Map.of("message", "no"));

        assertThat(result.output())
                .isEqualTo(Json.parse("{\"escalate\":true,\"reason\":\"no rule matched and no default is defined\"}"));
        assertThat(result.wantsEscalation()).isTrue();
        assertThat(result.confidence()).isZero();
        assertThat(run(agent, Map.of("message", "yes")).output()).isEqualTo(Json.parse("{\"ok\":true}"));
        assertThat(run(agent, Map.of("message", true)).output()).isEqualTo(Json.parse("{\"ok\":true}"));
    }

    private static final String CLASSIFIER =
            """
            id: intent
            inputs: [subject, message]
            fallback:
              kind: classify
              text: "{{subject}} {{message}}"
              labels:
                refund: [refund, money back, chargeback]
                invoice: [invoice, bill]
                outage: [down, outage, error, broken]
              default: other
              escalateBelow: 0.5
            """;

    @Test
    void classify_scores_labels_by_normalised_keyword_hits() {
        AgentResult result =
                run(agentOf(CLASSIFIER), Map.of("subject", "Invoice problem", "message", "the bill shows a refund"));

        // invoice: 2 of 2 keywords = 1.0; refund: 1 of 3 = 0.333; outage 0. Shares: 0.75 and 0.25.
        assertThat(result.output().get("label").asText()).isEqualTo("invoice");
        assertThat(result.output().get("scores"))
                .isEqualTo(Json.parse("{\"refund\":0.25,\"invoice\":0.75,\"outage\":0.0}"));
        assertThat(result.confidence()).isEqualTo(0.75);
        assertThat(result.nextSteps()).isEmpty();
        assertThat(result.mode()).isEqualTo(ResultMode.DETERMINISTIC);
    }

    @Test
    void classify_escalates_below_its_threshold_and_uses_the_default_without_hits() {
        // refund 1/3, invoice 1/2, outage 1/4: invoice wins with a share of 0.46, below 0.5.
        AgentResult unsure = run(agentOf(CLASSIFIER), Map.of("message", "refund the invoice, the site is down"));
        AgentResult none = run(agentOf(CLASSIFIER), Map.of("message", "hello there"));

        assertThat(unsure.output().get("label").asText()).isEqualTo("invoice");
        assertThat(unsure.confidence()).isCloseTo(0.4615, org.assertj.core.data.Offset.offset(0.0001));
        assertThat(unsure.nextSteps()).containsExactly("escalate");
        assertThat(none.output().get("label").asText()).isEqualTo("other");
        assertThat(none.confidence()).isZero();
        assertThat(none.wantsEscalation()).isTrue();
    }

    private static final String RETRIEVER =
            """
            id: faq
            inputs: [message]
            fallback:
              kind: retrieve
              collection: help-center
              query: "{{message}}"
              k: 2
              minScore: 0.5
              filters: {lang: en}
            """;

    /** Knowledge that answers every search with {@code passages} and records the queries. */
    private static KnowledgeSearch knowledge(List<String> queries, Passage... passages) {
        return new KnowledgeSearch() {
            @Override
            public boolean available() {
                return true;
            }

            @Override
            public List<Passage> search(String collection, String query, int k, Map<String, String> filters) {
                queries.add(collection + "|" + query + "|" + k + "|" + filters);
                return List.of(passages);
            }
        };
    }

    @Test
    void retrieve_quotes_the_best_passage_verbatim_with_a_citation() {
        Agent agent = agentOf(RETRIEVER);
        List<String> queries = new ArrayList<>();
        Passage best =
                new Passage("doc-7", "Refund policy", "Refunds are issued within 5 business days.", 0.82, Map.of());
        Passage other = new Passage("doc-2", "Billing", "Invoices are sent monthly.", 0.61, Map.of());

        AgentResult result = agent.run(
                task(Map.of("message", "how long do refunds take")),
                contextFor(agent).withKnowledge(knowledge(queries, other, best)));

        assertThat(queries).containsExactly("help-center|how long do refunds take|2|{lang=en}");
        assertThat(result.text()).isEqualTo("Refunds are issued within 5 business days.");
        assertThat(result.output().get("source").asText()).isEqualTo("doc-7");
        assertThat(result.citations())
                .containsExactly(
                        new Citation("doc-7", "Refund policy", "Refunds are issued within 5 business days.", 0.82));
        assertThat(result.confidence()).isEqualTo(0.82);
        assertThat(result.mode()).isEqualTo(ResultMode.DETERMINISTIC);
    }

    @Test
    void retrieve_escalates_when_nothing_scores_high_enough_or_no_knowledge_exists() {
        Agent agent = agentOf(RETRIEVER);
        Passage weak = new Passage("doc-2", "Billing", "Invoices are sent monthly.", 0.2, Map.of());

        AgentResult low = agent.run(
                task(Map.of("message", "refunds?")),
                contextFor(agent).withKnowledge(knowledge(new ArrayList<>(), weak)));
        AgentResult none = run(agent, Map.of("message", "refunds?"));

        assertThat(low.wantsEscalation()).isTrue();
        assertThat(low.output().get("reason").asText())
                .isEqualTo("no passage in 'help-center' scored at least 0.5 (best was 0.2)");
        assertThat(low.citations()).isEmpty();
        assertThat(none.output().get("reason").asText())
                .isEqualTo("no knowledge is configured to search collection 'help-center'");
    }

    @Test
    void escalate_hands_over_with_a_reason() {
        Agent agent = agentOf(
                """
                id: human
                inputs: [message]
                fallback: {kind: escalate, reason: "Needs a person: {{message}}"}
                """);

        AgentResult result = run(agent, Map.of("message", "legal threat"));

        assertThat(result.output())
                .isEqualTo(Json.parse("{\"escalate\":true,\"reason\":\"Needs a person: legal threat\"}"));
        assertThat(result.nextSteps()).containsExactly("escalate");
        assertThat(result.mode()).isEqualTo(ResultMode.DETERMINISTIC);
    }

    @Test
    void escalate_has_a_default_reason() {
        AgentResult result = run(agentOf("id: human\nfallback: {kind: escalate}\n"), Map.of());

        assertThat(result.output().get("reason").asText()).isEqualTo("no chat model is available for this agent");
    }

    @Test
    void conversation_is_rendered_as_a_transcript() {
        Agent agent = agentOf(
                """
                id: summary
                fallback: {kind: template, reply: "{{conversation}}"}
                """);
        AgentTask task = new AgentTask(
                Json.object(), List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello, how can I help?")));

        assertThat(agent.run(task, contextFor(agent)).text()).isEqualTo("user: Hi\nassistant: Hello, how can I help?");
    }

    @Test
    void an_agent_with_a_model_policy_but_no_fallback_says_it_needs_a_model() {
        Agent agent = agentOf(
                """
                id: writer
                model: premium
                instructions: Write.
                """);

        assertThatThrownBy(() -> run(agent, Map.of()))
                .isInstanceOf(ModelUnavailableException.class)
                .hasMessage(
                        "Agent writer (agent.yaml) needs a chat model: none is available and it defines no fallback");
    }

    @Test
    void a_model_agent_with_a_fallback_uses_it_when_no_model_is_configured() {
        Agent agent = agentOf(
                """
                id: writer
                model: standard
                instructions: Write.
                fallback: {kind: template, reply: "No writer is available right now."}
                """);

        AgentResult result = run(agent, Map.of());

        assertThat(result.mode()).isEqualTo(ResultMode.DETERMINISTIC);
        assertThat(result.text()).isEqualTo("No writer is available right now.");
    }
}
