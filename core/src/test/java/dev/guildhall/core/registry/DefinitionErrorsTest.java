package dev.guildhall.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.guildhall.core.NonRetryableException;
import dev.guildhall.core.definition.DefinitionError;
import dev.guildhall.core.definition.InvalidDefinitionException;
import dev.guildhall.core.registry.fixtures.bad.BadTierAgent;
import dev.guildhall.core.registry.fixtures.good.RefundChecker;
import dev.guildhall.core.tool.ToolRegistry;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefinitionErrorsTest {

    private static final ToolRegistry TOOLS = ToolRegistry.of(List.of(
            new RecordingTool("lookup-invoice", args -> JsonNodeFactory.instance.objectNode()),
            new RecordingTool("issue-refund", args -> JsonNodeFactory.instance.objectNode())));

    private static List<String> errorsOf(AgentRegistry.Builder builder) {
        try {
            builder.build();
        } catch (InvalidDefinitionException e) {
            return e.errors().stream().map(DefinitionError::format).toList();
        }
        throw new AssertionError("expected the load to fail");
    }

    private static List<String> errorsOf(String name, String yaml) {
        return errorsOf(AgentRegistry.builder().tools(TOOLS).loadDefinitions(name, new StringReader(yaml)));
    }

    @Test
    void missing_id_names_file_line_and_field() {
        assertThat(
                        errorsOf(
                                "noid.yaml",
                                """
                name: Nobody
                fallback: {kind: escalate}
                """))
                .containsExactly("noid.yaml:1: field 'id': is required: a unique name such as billing-specialist");
    }

    @Test
    void malformed_id_is_rejected() {
        assertThat(
                        errorsOf(
                                "id.yaml",
                                """
                id: "billing specialist"
                fallback: {kind: escalate}
                """))
                .singleElement()
                .asString()
                .startsWith("id.yaml:1: field 'id': must be letters, digits");
    }

    @Test
    void duplicate_id_across_two_files_names_both_places() {
        AgentRegistry.Builder builder = AgentRegistry.builder()
                .loadDefinitions(
                        "support/router.yaml",
                        new StringReader(
                                """
                        id: router
                        fallback: {kind: escalate}
                        """))
                .loadDefinitions(
                        "campaigns/router.yaml",
                        new StringReader(
                                """
                        # The campaigns router.
                        id: router
                        fallback: {kind: escalate}
                        """));
        assertThat(errorsOf(builder))
                .containsExactly(
                        "campaigns/router.yaml:2: field 'id': duplicate agent id 'router': also defined at support/router.yaml:1");
    }

    @Test
    void duplicate_id_between_a_class_and_a_file_names_both() {
        AgentRegistry.Builder builder = AgentRegistry.builder()
                .addAnnotated(RefundChecker.class)
                .loadDefinitions(
                        "refunds.yaml",
                        new StringReader(
                                """
                        id: refund-checker
                        fallback: {kind: escalate}
                        """));
        assertThat(errorsOf(builder))
                .containsExactly("refunds.yaml:1: field 'id': duplicate agent id 'refund-checker': "
                        + "also defined at class:dev.guildhall.core.registry.fixtures.good.RefundChecker");
    }

    @Test
    void duplicate_id_in_one_file_with_two_documents() {
        assertThat(
                        errorsOf(
                                "two.yaml",
                                """
                id: twin
                fallback: {kind: escalate}
                ---
                id: twin
                fallback: {kind: escalate}
                """))
                .containsExactly("two.yaml:4: field 'id': duplicate agent id 'twin': also defined at two.yaml:1");
    }

    @Test
    void unknown_tool_names_the_line_of_the_tool() {
        assertThat(
                        errorsOf(
                                "billing.yaml",
                                """
                id: billing
                model: standard
                instructions: Help with bills.
                tools:
                  - lookup-invoice
                  - refund-invoice
                """))
                .containsExactly("billing.yaml:6: field 'tools': unknown tool 'refund-invoice'; "
                        + "known tools: issue-refund, lookup-invoice");
    }

    @Test
    void unknown_tier_number_and_name_are_rejected() {
        assertThat(
                        errorsOf(
                                "tiers.yaml",
                                """
                id: seven
                tier: 7
                fallback: {kind: escalate}
                ---
                id: legend
                tier: legendary
                fallback: {kind: escalate}
                """))
                .containsExactly(
                        "tiers.yaml:2: field 'tier': tier must be 1, 2, 3 or 4 (or essential, revenue, operational, advanced), was 7",
                        "tiers.yaml:6: field 'tier': tier must be 1, 2, 3 or 4 (or essential, revenue, operational, advanced), was \"legendary\"");
    }

    @Test
    void unknown_tier_on_an_annotated_class_names_the_class_and_field() {
        assertThat(errorsOf(AgentRegistry.builder().addAnnotated(BadTierAgent.class)))
                .containsExactly("class:dev.guildhall.core.registry.fixtures.bad.BadTierAgent: field 'tier': "
                        + "tier must be 1, 2, 3 or 4 (or essential, revenue, operational, advanced), was 9");
    }

    @Test
    void template_variable_that_nothing_supplies_names_its_own_line() {
        assertThat(
                        errorsOf(
                                "support.yaml",
                                """
                id: support
                model: standard
                inputs:
                  message: {required: true}
                instructions: |
                  You answer support questions.
                  The customer is on the {{customer.plan}} plan.
                  They wrote: {{message}}
                fallback: {kind: escalate}
                """))
                .containsExactly(
                        "support.yaml:7: field 'instructions': template variable 'customer.plan' is not supplied "
                                + "by anything (declared inputs: message; built-ins: run.id, workspace, agent.id, agent.name, today, conversation); "
                                + "declare it under 'inputs'");
    }

    @Test
    void built_in_and_declared_variables_are_supplied() {
        AgentRegistry registry = Agents.registryOf(
                "ok.yaml",
                """
                id: ok
                model: standard
                inputs:
                  customer: {}
                  message:
                instructions: |
                  Today is {{today}} in {{workspace}}; run {{run.id}}, agent {{agent.id}} ({{agent.name}}).
                  {{#customer}}Plan: {{plan}}{{/customer}} {{customer.name}} {{^message}}no message{{/message}}
                  {{conversation}}
                fallback: {kind: escalate}
                """);
        assertThat(registry.size()).isEqualTo(1);
    }

    @Test
    void bad_model_policy_is_rejected() {
        assertThat(
                        errorsOf(
                                "model.yaml",
                                """
                id: smart
                model: smartest
                instructions: Be smart.
                """))
                .containsExactly(
                        "model.yaml:2: field 'model': model policy must be one of none, cheap, standard, premium, was \"smartest\"");
    }

    @Test
    void bad_durations_are_rejected_with_their_fields() {
        assertThat(
                        errorsOf(
                                "slow.yaml",
                                """
                id: slow
                timeout: 30 seconds
                retry:
                  maxAttempts: 0
                  initialInterval: soon
                fallback: {kind: escalate}
                """))
                .containsExactly(
                        "slow.yaml:2: field 'timeout': duration must look like 500ms, 30s, 5m, 2h, 1d or PT30S, was \"30 seconds\"",
                        "slow.yaml:4: field 'retry.maxAttempts': must be between 1 and 100, was 0",
                        "slow.yaml:5: field 'retry.initialInterval': duration must look like 500ms, 30s, 5m, 2h, 1d or PT30S, was \"soon\"");
    }

    @Test
    void unknown_top_level_field_suggests_the_right_name() {
        assertThat(
                        errorsOf(
                                "typo.yaml",
                                """
                id: typo
                model: standard
                instruction: Answer.
                instructions: Answer.
                capabilites: [billing]
                """))
                .containsExactly(
                        "typo.yaml:3: field 'instruction': unknown field; did you mean 'instructions'?",
                        "typo.yaml:5: field 'capabilites': unknown field; did you mean 'capabilities'?");
    }

    @Test
    void field_defined_twice_is_rejected() {
        assertThat(
                        errorsOf(
                                "twice.yaml",
                                """
                id: twice
                team: billing
                team: refunds
                fallback: {kind: escalate}
                """))
                .containsExactly("twice.yaml:3: field 'team': is defined twice (first on line 2)");
    }

    @Test
    void bad_output_schema_is_rejected_at_each_fault() {
        assertThat(
                        errorsOf(
                                "schema.yaml",
                                """
                id: schema
                model: standard
                instructions: Answer.
                output:
                  schema:
                    type: object
                    required: [answer, sources]
                    properties:
                      answer: {type: text}
                      score: {type: number, minimun: 0}
                """))
                .containsExactly(
                        "schema.yaml:7: field 'output.schema.required': names 'sources', which is not under properties",
                        "schema.yaml:9: field 'output.schema.properties.answer.type': must be one of array, boolean, integer, null, "
                                + "number, object, string, was \"text\"",
                        "schema.yaml:10: field 'output.schema.properties.score.minimun': unknown field; did you mean 'minimum'?");
    }

    @Test
    void output_schema_root_must_be_an_object() {
        assertThat(
                        errorsOf(
                                "root.yaml",
                                """
                id: root
                model: standard
                instructions: Answer.
                output:
                  schema: {type: string}
                """))
                .singleElement()
                .asString()
                .startsWith(
                        "root.yaml:5: field 'output.schema.type': the root of an output schema must have type: object");
    }

    @Test
    void fallback_referencing_unknown_things_is_rejected() {
        assertThat(
                        errorsOf(
                                "rules.yaml",
                                """
                id: router
                inputs: [message]
                fallback:
                  kind: rules
                  rules:
                    - when: {field: subject, containsAny: [refund]}
                      output: {route: refunds}
                      nextSteps: [refund-agent]
                    - when: {field: message, matches: "([a-z"}
                      output: {reply: "Hello {{name}}"}
                  default:
                    output: {route: general}
                    nextSteps: [escalate]
                """))
                .containsExactly(
                        "rules.yaml:6: field 'fallback.rules[0].when.field': input 'subject' is not supplied by anything "
                                + "(declared inputs: message; built-ins: run.id, workspace, agent.id, agent.name, today, conversation); "
                                + "declare it under 'inputs'",
                        "rules.yaml:8: field 'fallback.rules[0].nextSteps': unknown agent 'refund-agent'; "
                                + "next steps are 'escalate' or the id of an agent in this registry",
                        "rules.yaml:9: field 'fallback.rules[1].when.matches': is not a valid regular expression: Unclosed character class",
                        "rules.yaml:10: field 'fallback.rules[1].output.reply': template variable 'name' is not supplied by anything "
                                + "(declared inputs: message; built-ins: run.id, workspace, agent.id, agent.name, today, conversation); "
                                + "declare it under 'inputs'");
    }

    @Test
    void unknown_fallback_kind_and_fields_are_rejected() {
        assertThat(
                        errorsOf(
                                "kinds.yaml",
                                """
                id: guesser
                fallback:
                  kind: guess
                ---
                id: classifier
                fallback:
                  kind: classify
                  text: "{{message}}"
                  lables: {refund: [refund]}
                """))
                .containsExactly(
                        "kinds.yaml:3: field 'fallback.kind': must be one of template, rules, classify, retrieve, escalate, was \"guess\"",
                        "kinds.yaml:7: field 'fallback.labels': is required: a mapping of label to keywords, such as {refund: [refund, money back]}",
                        "kinds.yaml:8: field 'fallback.text': template variable 'message' is not supplied by anything "
                                + "(declared inputs: none; built-ins: run.id, workspace, agent.id, agent.name, today, conversation); "
                                + "declare it under 'inputs'",
                        "kinds.yaml:9: field 'fallback.lables': unknown field; did you mean 'labels'?");
    }

    @Test
    void agent_that_could_never_run_is_rejected() {
        assertThat(
                        errorsOf(
                                "idle.yaml",
                                """
                id: idle
                description: No model and no fallback.
                ---
                id: mute
                model: cheap
                """))
                .containsExactly(
                        "idle.yaml:1: field 'fallback': is required when model is none (the default): without a model and without a "
                                + "fallback the agent could never run; set model to cheap, standard or premium, or add a fallback",
                        "idle.yaml:4: field 'instructions': is required when model is cheap: it is the system prompt the model follows");
    }

    @Test
    void yaml_syntax_error_names_the_line() {
        assertThat(
                        errorsOf(
                                "broken.yaml",
                                """
                id: broken
                fallback: {kind: escalate
                tier: 1
                """))
                .singleElement()
                .asString()
                .startsWith("broken.yaml:3: is not valid YAML:");
    }

    @Test
    void a_list_at_the_top_of_a_document_explains_the_document_format() {
        assertThat(errorsOf("list.yaml", """
                - id: a
                - id: b
                """))
                .containsExactly(
                        "list.yaml:1: must be a mapping with one agent's fields; separate several agents in one file with ---");
    }

    @Test
    void several_errors_of_one_load_are_reported_together_in_file_and_line_order() {
        AgentRegistry.Builder builder = AgentRegistry.builder()
                .tools(TOOLS)
                .loadDefinitions(
                        "b.yaml",
                        new StringReader(
                                """
                        id: second
                        tier: 5
                        model: standard
                        instructions: "Hi {{nobody}}"
                        tools: [fax]
                        """))
                .loadDefinitions(
                        "a.yaml",
                        new StringReader(
                                """
                        id: first
                        timeout: forever
                        fallback: {kind: escalate}
                        """));
        InvalidDefinitionException e = (InvalidDefinitionException) catchThrowable(builder::build);
        assertThat(e).isInstanceOf(NonRetryableException.class);
        assertThat(e.errors())
                .extracting(DefinitionError::location)
                .containsExactly("a.yaml:2", "b.yaml:2", "b.yaml:4", "b.yaml:5");
        assertThat(e.errors())
                .extracting(DefinitionError::field)
                .containsExactly("timeout", "tier", "instructions", "tools");
        assertThat(e.getMessage())
                .startsWith("4 invalid definitions:\n  a.yaml:2: field 'timeout': ")
                .contains("\n  b.yaml:5: field 'tools': unknown tool 'fax'");
    }

    @Test
    void a_missing_directory_is_reported() {
        assertThatThrownBy(() -> AgentRegistry.builder()
                        .loadDefinitions(Path.of("/no/such/dir"))
                        .build())
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessage("Invalid definition: /no/such/dir: does not exist");
    }

    @Test
    void input_names_may_not_shadow_built_ins_and_required_excludes_default() {
        assertThat(
                        errorsOf(
                                "inputs.yaml",
                                """
                id: inputs
                inputs:
                  run.id: {}
                  plan: {required: true, default: basic}
                fallback: {kind: escalate}
                """))
                .containsExactly(
                        "inputs.yaml:3: field 'inputs.run.id': 'run' is a built-in variable (run.id, workspace, agent.id, agent.name, "
                                + "today, conversation); choose another input name",
                        "inputs.yaml:4: field 'inputs.plan.default': cannot be combined with required: true; "
                                + "an input with a default is never missing");
    }
}
