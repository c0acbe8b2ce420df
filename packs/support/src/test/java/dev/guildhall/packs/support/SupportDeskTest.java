package dev.guildhall.packs.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.AgentId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.registry.AgentRegistry;
import dev.guildhall.core.workflow.RunResult;
import dev.guildhall.core.workflow.StartRequest;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.WorkflowEngine;
import dev.guildhall.knowledge.collection.CollectionName;
import dev.guildhall.knowledge.collection.DocumentId;
import dev.guildhall.knowledge.collection.NewDocument;
import dev.guildhall.knowledge.ingest.DocumentFormat;
import dev.guildhall.packs.support.agents.KnowledgeAnswerer;
import dev.guildhall.packs.support.faq.BankingFaq;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole desk flow, in process: routing, cited answers, verification, escalation, the panel. */
class SupportDeskTest {
    @TempDir
    static Path dir;

    static DeskFixture fixture;
    static AgentRegistry agents;
    static Workflow workflow;
    static WorkflowEngine engine;

    @BeforeAll
    static void setUp() {
        fixture = new DeskFixture(dir);
        agents = fixture.desk.registry(List.of());
        workflow = SupportDesk.workflow(agents);
        engine = WorkflowEngine.builder()
                .agents(agents)
                .knowledge(fixture.knowledge::searchFor)
                .build();
    }

    @AfterAll
    static void tearDown() {
        engine.close();
        fixture.close();
    }

    static DeskOutcome ask(WorkspaceId workspace, String message, String customer) {
        return DeskOutcome.of(run(workspace, message, customer));
    }

    static RunResult run(WorkspaceId workspace, String message, String customer) {
        ObjectNode input = Json.object().put("message", message).put("customerId", customer);
        return engine.run(workflow, StartRequest.of(workspace, input), Duration.ofSeconds(30));
    }

    @Test
    void a_routed_message_is_answered_with_a_citation_that_contains_the_answer() {
        RunResult run = run(DeskFixture.BANK, "I think I lost my card somewhere, what do I do?", "c-1");
        DeskOutcome outcome = DeskOutcome.of(run);

        assertThat(outcome.status()).isEqualTo(DeskOutcome.Status.REPLIED);
        assertThat(outcome.intent()).isEqualTo("lost_or_stolen_card");
        assertThat(outcome.citedSource()).isEqualTo("faq/lost_or_stolen_card.md");
        assertThat(outcome.reply()).contains("freeze it in the app").contains("Report lost or stolen");
        JsonNode answer = run.state().at("answer");
        assertThat(answer.at("/output/verified").asBoolean()).isTrue();
        assertThat(answer.at("/output/attempts").asInt()).isEqualTo(1);
        assertThat(answer.at("/citations/0/quote").asText())
                .contains("tap Report lost or stolen to cancel it and order a new one");
        assertThat(outcome.reply()).contains(answer.at("/citations/0/quote").asText());
    }

    @Test
    void an_out_of_scope_message_is_escalated_and_never_answered() {
        DeskOutcome outcome = ask(DeskFixture.BANK, "What's the weather going to be like in Rome this weekend?", "c-1");

        assertThat(outcome.status()).isEqualTo(DeskOutcome.Status.ESCALATED);
        assertThat(outcome.intent()).isEqualTo("none-of-these");
        assertThat(outcome.reply()).isNull();
        assertThat(outcome.lane()).isEqualTo("human");
        assertThat(outcome.summary()).contains("Why a person: not routed").contains("Rome");
        assertThat(outcome.gap()).isEqualTo("unrouted");
    }

    @Test
    void an_intent_without_an_article_escalates_as_a_knowledge_gap() {
        DeskOutcome outcome = ask(DeskFixture.BANK, "The exchange rate for my cash withdrawal abroad was wrong", "c-1");

        assertThat(outcome.intent()).isEqualTo("wrong_exchange_rate_for_cash_withdrawal");
        assertThat(BankingFaq.intents()).doesNotContain("wrong_exchange_rate_for_cash_withdrawal");
        assertThat(outcome.status()).isEqualTo(DeskOutcome.Status.ESCALATED);
        assertThat(outcome.gap()).isEqualTo("missing-article");
        assertThat(outcome.summary()).contains("no answer passed verification after 2 attempt(s)");
    }

    @Test
    void an_answer_that_fails_verification_is_retried_with_feedback_then_escalated() {
        // A workspace whose article for change_pin breaks policy: it asks the customer for the PIN.
        WorkspaceId careless = WorkspaceId.of("careless-bank");
        fixture.routers.put(careless, fixture.router);
        fixture.knowledge
                .create(careless, CollectionName.of(KnowledgeAnswerer.COLLECTION))
                .add(new NewDocument(
                        DocumentId.of("faq/change_pin.md"),
                        "faq/change_pin.md",
                        DocumentFormat.MARKDOWN,
                        "# Changing your PIN\n\nTo change your PIN, reply with your current PIN and the new one you want."
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        null,
                        Map.of("intent", "change_pin")));

        RunResult run = run(careless, "How do I change my PIN?", "anyone");
        DeskOutcome outcome = DeskOutcome.of(run);

        JsonNode answer = run.state().at("answer.output");
        assertThat(answer.path("verified").asBoolean()).isFalse();
        assertThat(answer.path("attempts").asInt()).isEqualTo(2);
        assertThat(answer.path("feedback").get(0).asText())
                .contains("faq/change_pin.md#0")
                .contains("no-secrets");
        assertThat(outcome.status()).isEqualTo(DeskOutcome.Status.ESCALATED);
        assertThat(outcome.gap()).isEqualTo("article-rejected");
        assertThat(run.state().has("reply")).isFalse();
    }

    @Test
    void an_unhappy_high_value_customer_goes_to_the_expert_panel_then_a_person() {
        RunResult run = run(
                DeskFixture.BANK,
                "This is ridiculous, I was charged twice for the same payment again. Unacceptable.",
                DeskFixture.VIP.value());
        DeskOutcome outcome = DeskOutcome.of(run);

        assertThat(outcome.lane()).isEqualTo("panel");
        assertThat(outcome.status()).isEqualTo(DeskOutcome.Status.ESCALATED);
        assertThat(outcome.priority()).isEqualTo("high");
        JsonNode panel = run.state().at("panel.output");
        assertThat(panel.path("contributions")).hasSize(3);
        assertThat(panel.at("/synthesis/actions").toString()).contains("duplicate");
        assertThat(outcome.summary())
                .contains("Ada Lovelace (metal plan, lifetime value 48000")
                .contains("Panel brief:")
                .contains("billing-dispute: dispute duplicate-charge");
    }

    @Test
    void the_same_message_from_an_ordinary_customer_is_answered() {
        DeskOutcome outcome = ask(
                DeskFixture.BANK,
                "This is ridiculous, I was charged twice for the same payment again. Unacceptable.",
                DeskFixture.REGULAR.value());

        assertThat(outcome.lane()).isEqualTo("answer");
        assertThat(outcome.intent()).isEqualTo("transaction_charged_twice");
        assertThat(outcome.status()).isEqualTo(DeskOutcome.Status.REPLIED);
    }

    @Test
    void a_workspace_without_a_router_escalates_everything() {
        DeskOutcome outcome = ask(WorkspaceId.of("no-router"), "I lost my card", "c-1");

        assertThat(outcome.status()).isEqualTo(DeskOutcome.Status.ESCALATED);
        assertThat(outcome.summary()).contains("has no trained router");
    }

    @Test
    void customers_add_yaml_agents_without_recompiling() throws Exception {
        Path extra = Files.createDirectories(dir.resolve("custom-agents"));
        Files.writeString(
                extra.resolve("vip-greeter.yaml"),
                """
                id: vip-greeter
                tier: revenue
                model: none
                inputs:
                  plan: {required: true}
                fallback:
                  kind: rules
                  rules:
                    - when: {field: plan, equals: metal}
                      output: {greeting: "Welcome back, metal member"}
                  default:
                    output: {greeting: "Hello"}
                """);
        AgentRegistry withCustom = fixture.desk.registry(List.of(extra));

        assertThat(withCustom.find(AgentId.of("vip-greeter"))).isPresent();
        assertThat(withCustom.find(AgentId.of("intent-router"))).isPresent();
        var greeter = withCustom.get(AgentId.of("vip-greeter"));
        var result = greeter.run(
                AgentTask.of(Json.object().put("plan", "metal")),
                AgentContext.standalone(greeter.descriptor(), DeskFixture.BANK));
        assertThat(result.output().path("greeting").asText()).isEqualTo("Welcome back, metal member");
    }
}
