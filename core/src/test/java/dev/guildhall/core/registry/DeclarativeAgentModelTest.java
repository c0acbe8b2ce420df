package dev.guildhall.core.registry;

import static dev.guildhall.core.registry.Agents.contextFor;
import static dev.guildhall.core.registry.Agents.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.NonRetryableException;
import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.ResultMode;
import dev.guildhall.core.gateway.ChatMessage;
import dev.guildhall.core.gateway.ChatRequest;
import dev.guildhall.core.gateway.ModelPolicy;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.tool.ToolRegistry;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The model path of declarative agents against a scripted gateway: the tool loop, schema checks
 * and the repair retry. Providers themselves are tested by the gateway module.
 */
class DeclarativeAgentModelTest {

    private static final String BILLING =
            """
            id: billing-specialist
            tier: revenue
            model: standard
            inputs:
              message: {required: true}
              customer.plan: {default: basic}
            instructions: |
              You are a billing specialist. The customer is on the {{customer.plan}} plan.
            prompt: "{{message}}"
            tools: [lookup-invoice]
            maxToolRounds: 2
            output:
              schema:
                type: object
                required: [answer]
                properties:
                  answer: {type: string}
                  confidence: {type: number}
            fallback: {kind: escalate}
            """;

    private final RecordingTool lookup = new RecordingTool(
            "lookup-invoice",
            args -> Json.object().put("invoice", args.path("invoice").asText()).put("status", "paid"));
    private final ToolRegistry tools = ToolRegistry.of(List.of(lookup));
    private final ScriptedGateway gateway = new ScriptedGateway();

    private Agent billing() {
        return Agents.registryOf("billing.yaml", BILLING, tools).get(AgentId.of("billing-specialist"));
    }

    private AgentResult runBilling(Map<String, ?> input) {
        Agent agent = billing();
        AgentContext context = contextFor(agent).withGateway(gateway).withTools(tools);
        return agent.run(task(input), context);
    }

    @Test
    void calls_a_tool_then_returns_the_answer_parsed_against_the_schema() {
        gateway.callsTool("call-1", "lookup-invoice", "{\"invoice\":\"INV-7\"}")
                .replies("{\"answer\":\"Invoice INV-7 is paid.\",\"confidence\":0.9}");

        AgentResult result = runBilling(Map.of("message", "Is INV-7 paid?"));

        assertThat(lookup.calls).singleElement().satisfies(call -> {
            assertThat(call.arguments()).isEqualTo(Json.parse("{\"invoice\":\"INV-7\"}"));
            assertThat(call.context().idempotencyKey()).isEqualTo("run-1:answer:lookup-invoice:1");
            assertThat(call.context().run()).isEqualTo(Agents.RUN);
            assertThat(call.context().workspace()).isEqualTo(Agents.WORKSPACE);
        });
        assertThat(result.mode()).isEqualTo(ResultMode.MODEL);
        assertThat(result.output()).isEqualTo(Json.parse("{\"answer\":\"Invoice INV-7 is paid.\",\"confidence\":0.9}"));
        assertThat(result.confidence()).isEqualTo(0.9);
        assertThat(result.usage().modelCalls()).isEqualTo(2);
        assertThat(result.usage().inputTokens()).isEqualTo(200);
        assertThat(result.usage().outputTokens()).isEqualTo(40);
        assertThat(result.usage().cost()).isEqualByComparingTo(new BigDecimal("0.002"));
    }

    @Test
    void sends_rendered_instructions_the_prompt_its_tools_and_the_schema() {
        gateway.callsTool("call-1", "lookup-invoice", "{\"invoice\":\"INV-7\"}").replies("{\"answer\":\"ok\"}");

        runBilling(Map.of("message", "Is INV-7 paid?", "customer", Map.of("plan", "pro")));

        ChatRequest first = gateway.requests.get(0);
        assertThat(first.messages())
                .containsExactly(
                        ChatMessage.system("You are a billing specialist. The customer is on the pro plan.\n"),
                        ChatMessage.user("Is INV-7 paid?"));
        assertThat(first.tools()).extracting(t -> t.name()).containsExactly("lookup-invoice");
        assertThat(first.responseSchema())
                .isEqualTo(((DeclarativeAgent) billing()).outputSchema().orElseThrow());
        assertThat(first.responseSchema().path("required")).isEqualTo(Json.parse("[\"answer\"]"));
        assertThat(gateway.calls.get(0).policy()).isEqualTo(ModelPolicy.STANDARD);
        assertThat(gateway.calls.get(0).agent()).isEqualTo(AgentId.of("billing-specialist"));

        List<ChatMessage> second = gateway.requests.get(1).messages();
        assertThat(second).hasSize(4);
        assertThat(second.get(2).toolCalls()).extracting(c -> c.id()).containsExactly("call-1");
        assertThat(second.get(3).role()).isEqualTo(ChatMessage.Role.TOOL);
        assertThat(second.get(3).toolCallId()).isEqualTo("call-1");
        assertThat(Json.parse(second.get(3).text()))
                .isEqualTo(Json.parse("{\"invoice\":\"INV-7\",\"status\":\"paid\"}"));
    }

    @Test
    void each_tool_call_in_a_step_gets_its_own_stable_idempotency_key() {
        gateway.callsTool("a", "lookup-invoice", "{\"invoice\":\"INV-1\"}")
                .callsTool("b", "lookup-invoice", "{\"invoice\":\"INV-2\"}")
                .replies("{\"answer\":\"both paid\"}");

        runBilling(Map.of("message", "Are INV-1 and INV-2 paid?"));

        assertThat(lookup.calls)
                .extracting(c -> c.context().idempotencyKey())
                .containsExactly("run-1:answer:lookup-invoice:1", "run-1:answer:lookup-invoice:2");
    }

    @Test
    void repairs_an_answer_that_is_not_json_once() {
        gateway.replies("Sure! The invoice is paid.").replies("```json\n{\"answer\":\"The invoice is paid.\"}\n```");

        AgentResult result = runBilling(Map.of("message", "Is it paid?"));

        assertThat(result.output().get("answer").asText()).isEqualTo("The invoice is paid.");
        assertThat(result.confidence()).isEqualTo(DeclarativeAgent.UNREPORTED_MODEL_CONFIDENCE);
        assertThat(result.usage().modelCalls()).isEqualTo(2);
        List<ChatMessage> repair = gateway.requests.get(1).messages();
        assertThat(repair.get(repair.size() - 2)).isEqualTo(ChatMessage.assistant("Sure! The invoice is paid."));
        assertThat(repair.get(repair.size() - 1).text())
                .startsWith("Your answer cannot be used because it is not valid JSON");
    }

    @Test
    void repairs_an_answer_missing_a_required_field() {
        gateway.replies("{\"reply\":\"paid\"}").replies("{\"answer\":\"paid\"}");

        AgentResult result = runBilling(Map.of("message", "Is it paid?"));

        assertThat(result.output().get("answer").asText()).isEqualTo("paid");
        List<ChatMessage> repair = gateway.requests.get(1).messages();
        assertThat(repair.get(repair.size() - 1).text())
                .startsWith(
                        "Your answer cannot be used because it does not match the output schema: $.answer: is required");
    }

    @Test
    void fails_without_retry_when_the_repaired_answer_is_still_wrong() {
        gateway.replies("not json").replies("{\"answer\": 42}");

        assertThatThrownBy(() -> runBilling(Map.of("message", "Is it paid?")))
                .isInstanceOf(NonRetryableException.class)
                .hasMessage(
                        "Agent billing-specialist (billing.yaml) answered twice without matching its output schema; "
                                + "last answer: it does not match the output schema: $.answer: must be string, was a number");
    }

    @Test
    void stops_a_model_that_keeps_asking_for_tools() {
        gateway.callsTool("1", "lookup-invoice", "{}")
                .callsTool("2", "lookup-invoice", "{}")
                .callsTool("3", "lookup-invoice", "{}");

        assertThatThrownBy(() -> runBilling(Map.of("message", "loop")))
                .isInstanceOf(NonRetryableException.class)
                .hasMessage("Agent billing-specialist (billing.yaml) asked for tools in more than 2 rounds; "
                        + "raise maxToolRounds or narrow its instructions");
        assertThat(lookup.calls).hasSize(2);
    }

    @Test
    void tells_the_model_about_tools_it_may_not_call_and_bad_arguments() {
        gateway.callsTool("1", "delete-account", "{}")
                .callsTool("2", "lookup-invoice", "{not json")
                .replies("{\"answer\":\"done\"}");

        runBilling(Map.of("message", "x"));

        assertThat(lookup.calls).isEmpty();
        List<ChatMessage> last = gateway.requests.get(2).messages();
        assertThat(last.get(3).text())
                .isEqualTo(
                        "{\"error\":\"tool 'delete-account' is not available to this agent; available: lookup-invoice\"}");
        assertThat(last.get(5).text()).startsWith("{\"error\":\"arguments are not valid JSON");
    }

    @Test
    void takes_the_fallback_when_the_gateway_serves_no_provider_for_the_policy() {
        gateway.isUnavailable();

        AgentResult result = runBilling(Map.of("message", "x"));

        assertThat(result.mode()).isEqualTo(ResultMode.DETERMINISTIC);
        assertThat(result.wantsEscalation()).isTrue();
    }

    @Test
    void without_a_schema_returns_the_text_and_sends_the_input_as_json() {
        Agent agent = Agents.agentOf(
                """
                id: writer
                model: cheap
                instructions: Write a haiku about {{topic}}.
                inputs: [topic]
                """);
        gateway.replies("Autumn invoices / fall like leaves");

        AgentResult result =
                agent.run(task(Map.of("topic", "billing")), contextFor(agent).withGateway(gateway));

        assertThat(result.output()).isEqualTo(Json.parse("{\"text\":\"Autumn invoices / fall like leaves\"}"));
        assertThat(result.mode()).isEqualTo(ResultMode.MODEL);
        assertThat(gateway.requests.get(0).messages())
                .containsExactly(
                        ChatMessage.system("Write a haiku about billing."),
                        ChatMessage.user("{\"topic\":\"billing\"}"));
        assertThat(gateway.requests.get(0).responseSchema()).isNull();
    }

    @Test
    void an_answer_asking_to_escalate_sets_the_next_step() {
        gateway.replies("{\"answer\":\"I cannot tell.\",\"escalate\":true}");

        assertThat(runBilling(Map.of("message", "?")).nextSteps()).containsExactly("escalate");
    }

    @Test
    void a_model_policy_of_none_never_calls_the_gateway() {
        Agent agent = Agents.agentOf(
                """
                id: quiet
                instructions: Never used.
                fallback: {kind: template, reply: "Deterministic."}
                """);

        AgentResult result = agent.run(task(Map.of()), contextFor(agent).withGateway(gateway));

        assertThat(result.text()).isEqualTo("Deterministic.");
        assertThat(gateway.requests).isEmpty();
    }
}
