package dev.guildhall.core.workflow.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.classify.Classification;
import dev.guildhall.core.classify.ClassifierProvider;
import dev.guildhall.core.classify.ClassifierSpec;
import dev.guildhall.core.classify.ProvidedClassifier;
import dev.guildhall.core.definition.DefinitionError;
import dev.guildhall.core.definition.InvalidDefinitionException;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.registry.AgentRegistry;
import dev.guildhall.core.workflow.RunResult;
import dev.guildhall.core.workflow.RunStatus;
import dev.guildhall.core.workflow.StartRequest;
import dev.guildhall.core.workflow.StateKey;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.WorkflowEngine;
import java.io.StringReader;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkflowDefinitionsTest {
    static final String AGENTS =
            """
            id: classifier
            model: none
            inputs: [message]
            fallback:
              kind: classify
              text: "{{message}}"
              labels:
                billing: [refund, charge, invoice]
                cards: [card, pin]
            ---
            id: answerer
            model: none
            inputs: [message, intent]
            fallback:
              kind: template
              reply: "About {{intent}}: we are on it."
            ---
            id: checker
            model: none
            inputs: [candidate]
            fallback:
              kind: rules
              rules:
                - when: {field: candidate.text, containsAny: [about]}
                  output: {passed: true}
              default:
                output: {passed: false, feedback: "say what it is about"}
            ---
            id: human
            model: none
            fallback:
              kind: escalate
              reason: needs a person
            """;

    final AgentRegistry agents = AgentRegistry.builder()
            .loadDefinitions("agents.yaml", new StringReader(AGENTS))
            .build();
    final WorkflowEngine engine = WorkflowEngine.builder().agents(agents).build();

    @AfterEach
    void close() {
        engine.close();
    }

    static final String TRIAGE =
            """
            id: triage
            steps:
              - id: classify
                agent: classifier
                input: {message: "{{message}}"}
                next:
                  switch: classify.output.label
                  cases: {billing: answer, cards: answer}
                  default: escalate
              - id: answer
                verify: {producer: answerer, verifier: checker, maxAttempts: 2}
                input: {message: "{{message}}", intent: "{{classify.output.label}}"}
                next: end
              - id: escalate
                agent: human
            """;

    RunResult run(String yaml, String input) {
        Workflow wf = WorkflowDefinitions.parse("triage.yaml", new StringReader(yaml), agents);
        return engine.run(wf, StartRequest.of(WorkspaceId.of("w"), Json.parse(input)), Duration.ofSeconds(10));
    }

    @Test
    void runs_a_yaml_workflow_with_a_switch_and_a_verified_answer() {
        RunResult r = run(TRIAGE, "{\"message\":\"I want a refund for this charge\"}");

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        AgentResult answer = r.state().get(StateKey.of("answer", AgentResult.class));
        assertThat(answer.output().path("verified").asBoolean()).isTrue();
        assertThat(answer.output().path("answer").path("text").asText()).isEqualTo("About billing: we are on it.");
        assertThat(r.state().has("escalate")).isFalse();
    }

    @Test
    void takes_the_default_case_when_no_label_matches() {
        RunResult r = run(TRIAGE, "{\"message\":\"hello there\"}");

        assertThat(r.state().has("escalate")).isTrue();
        assertThat(r.state().has("answer")).isFalse();
    }

    @Test
    void a_wait_step_suspends_until_its_signal() {
        String yaml =
                """
                id: approve
                steps:
                  - id: approval
                    wait: {signal: approved, timeout: 2d}
                  - id: done
                    agent: human
                """;
        Workflow wf = WorkflowDefinitions.parse("approve.yaml", new StringReader(yaml), agents);
        var handle = engine.start(wf, StartRequest.of(WorkspaceId.of("w"), Json.object()));
        assertThat(handle.awaitSettled(Duration.ofSeconds(5)).status()).isEqualTo(RunStatus.SUSPENDED);

        handle.signal("approved", Json.parse("{\"by\":\"ops\"}"));

        RunResult r = handle.awaitSettled(Duration.ofSeconds(5));
        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.state().at("approval.by").asText()).isEqualTo("ops");
    }

    @Test
    void reports_every_problem_with_file_line_and_field() {
        String yaml =
                """
                id: broken
                stepz: []
                steps:
                  - id: one
                    agent: no-such-agent
                    next: nowhere
                  - id: two
                    verify: {producer: answerer}
                  - id: one
                    agent: human
                  - id: three
                    agent: human
                    debate: {debaters: [answerer, checker], judge: human}
                """;

        assertThatThrownBy(() -> WorkflowDefinitions.parse("broken.yaml", new StringReader(yaml), agents))
                .isInstanceOfSatisfying(InvalidDefinitionException.class, e -> assertThat(e.errors())
                        .extracting(DefinitionError::format)
                        .contains(
                                "broken.yaml:2: field 'stepz': unknown field; did you mean 'steps'?",
                                "broken.yaml:5: field 'steps[0].agent': unknown agent \"no-such-agent\"",
                                "broken.yaml:8: field 'steps[1].verify.verifier': is required",
                                "broken.yaml:9: field 'steps[2].id': duplicate step id \"one\" (first on line 4)",
                                "broken.yaml:11: field 'steps[3]': a step needs exactly one of agent, parallel, router, debate,"
                                        + " verify, panel, wait, was agent and debate"));
    }

    @Test
    void reports_an_edge_to_an_unknown_step_at_its_line() {
        String yaml =
                """
                id: edges
                steps:
                  - id: a
                    agent: human
                    next: [b, ghost]
                  - id: b
                    agent: human
                """;

        assertThatThrownBy(() -> WorkflowDefinitions.parse("edges.yaml", new StringReader(yaml), agents))
                .hasMessageContaining("edges.yaml:5: field 'steps[0].next': names unknown step \"ghost\"");
    }

    static final String ROUTED =
            """
            id: routed
            steps:
              - id: route
                router:
                  classifier: {model: models/keywords.txt}
                  routes: {billing: answerer}
                  fallback: human
            """;

    @Test
    void a_classifier_mapping_is_built_by_the_provider_with_paths_relative_to_the_workflow(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path file = dir.resolve("routed.yaml");
        java.nio.file.Files.writeString(file, ROUTED);
        java.util.List<ClassifierSpec> seen = new java.util.ArrayList<>();
        ClassifierProvider provider = new ClassifierProvider() {
            @Override
            public java.util.List<String> keys() {
                return java.util.List.of("model");
            }

            @Override
            public ProvidedClassifier create(ClassifierSpec spec) {
                seen.add(spec);
                return new ProvidedClassifier(
                        text -> text.contains("refund")
                                ? Classification.of("billing", 0.9)
                                : Classification.of(Classification.NONE_OF_THESE, 0.9),
                        java.util.List.of("billing"));
            }
        };

        Workflow wf = WorkflowDefinitions.load(file, agents, provider);
        RunResult r = engine.run(
                wf,
                StartRequest.of(WorkspaceId.of("w"), Json.parse("{\"message\":\"a refund please\"}")),
                Duration.ofSeconds(10));

        assertThat(seen.get(0).resolve(seen.get(0).settings().get("model")))
                .isEqualTo(dir.resolve("models/keywords.txt"));
        AgentResult route = r.state().get(StateKey.of("route", AgentResult.class));
        assertThat(route.output().path("route").asText()).isEqualTo("billing");
        assertThat(route.output().path("output").path("text").asText()).startsWith("About");
    }

    @Test
    void a_classifier_mapping_without_a_provider_is_a_definition_error() {
        assertThatThrownBy(() -> WorkflowDefinitions.parse("routed.yaml", new StringReader(ROUTED), agents))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("routed.yaml:5: field 'steps[0].router.classifier': a trained classifier needs"
                        + " the knowledge module on the class path");
    }
}
