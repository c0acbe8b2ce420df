package dev.guildhall.knowledge.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.definition.InvalidDefinitionException;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.registry.AgentRegistry;
import dev.guildhall.core.workflow.RunResult;
import dev.guildhall.core.workflow.RunStatus;
import dev.guildhall.core.workflow.StartRequest;
import dev.guildhall.core.workflow.StateKey;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.WorkflowEngine;
import dev.guildhall.core.workflow.definition.WorkflowDefinitions;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A declarative workflow's router step routing with a trained router, found through core's classifier SPI. */
class RouterStepWorkflowTest {
    static final String AGENTS =
            """
            id: cards-desk
            model: none
            inputs: [message]
            fallback: {kind: template, reply: "Cards desk: {{message}}"}
            ---
            id: fx-desk
            model: none
            inputs: [message]
            fallback: {kind: template, reply: "FX desk: {{message}}"}
            ---
            id: human
            model: none
            fallback: {kind: escalate, reason: needs a person}
            """;

    static final String WORKFLOW =
            """
            id: triage
            steps:
              - id: route
                router:
                  classifier: %s
                  routes:
                    card_arrival: cards-desk
                    lost_or_stolen_card: cards-desk
                    exchange_rate: fx-desk
                  fallback: human
            """;

    @TempDir
    Path dir;

    final AgentRegistry agents = AgentRegistry.builder()
            .loadDefinitions("agents.yaml", new StringReader(AGENTS))
            .build();
    final WorkflowEngine engine = WorkflowEngine.builder().agents(agents).build();

    @AfterEach
    void close() {
        engine.close();
    }

    Path workflow(String classifier) throws IOException {
        Path file = dir.resolve("triage.yaml");
        Files.writeString(file, WORKFLOW.formatted(classifier));
        return file;
    }

    AgentResult route(Workflow wf, String message) {
        RunResult r = engine.run(
                wf,
                StartRequest.of(WorkspaceId.of("w"), Json.object().put("message", message)),
                Duration.ofSeconds(30));
        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        return r.state().get(StateKey.of("route", AgentResult.class));
    }

    @Test
    void a_router_step_routes_with_a_model_file_next_to_the_workflow() throws IOException {
        Files.createDirectories(dir.resolve("models"));
        IntentRouter.train(Examples.fourIntents(), "oos", IntentRouterTest.EMBEDDINGS)
                .save(dir.resolve("models/router.bin"));

        Workflow wf = WorkflowDefinitions.load(workflow("{model: models/router.bin}"), agents);

        AgentResult stolen = route(wf, "somebody took my card from my bag");
        assertThat(stolen.output().path("label").asText()).isEqualTo("lost_or_stolen_card");
        assertThat(stolen.output().path("output").path("text").asText())
                .isEqualTo("Cards desk: somebody took my card from my bag");
        AgentResult fx = route(wf, "Which exchange rate will I get for dollars?");
        assertThat(fx.output().path("route").asText()).isEqualTo("exchange_rate");
        assertThat(fx.output().path("output").path("text").asText()).startsWith("FX desk:");
        AgentResult weather = route(wf, "Will it rain in Paris tomorrow?");
        assertThat(weather.output().path("label").asText()).isEqualTo("none-of-these");
        assertThat(weather.output().path("route").asText()).isEqualTo("fallback");
    }

    @Test
    void a_router_step_trains_from_an_examples_file() throws IOException {
        String csv = "text,label\n"
                + Examples.fourIntents().stream()
                        .map(e -> "\"" + e.text().replace("\"", "\"\"") + "\"," + e.label())
                        .collect(Collectors.joining("\n"));
        Files.writeString(dir.resolve("intents.csv"), csv);

        Workflow wf = WorkflowDefinitions.load(workflow("{examples: intents.csv}"), agents);

        assertThat(route(wf, "my new card never came in the mail")
                        .output()
                        .path("label")
                        .asText())
                .isEqualTo("card_arrival");
    }

    @Test
    void a_missing_model_file_is_a_definition_error_at_the_classifier_line() throws IOException {
        Path file = workflow("{model: nowhere.bin}");

        assertThatThrownBy(() -> WorkflowDefinitions.load(file, agents))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("triage.yaml:5: field 'steps[0].router.classifier'")
                .hasMessageContaining("model file " + dir.resolve("nowhere.bin") + " does not exist");
    }

    @Test
    void a_corrupt_model_file_is_a_definition_error() throws IOException {
        Files.writeString(dir.resolve("router.bin"), "text,label\nhello,greeting\n");
        Path file = workflow("{model: router.bin}");

        assertThatThrownBy(() -> WorkflowDefinitions.load(file, agents))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("triage.yaml:5: field 'steps[0].router.classifier'")
                .hasMessageContaining("not a Guildhall router file");
    }

    @Test
    void a_truncated_model_file_is_a_definition_error() throws IOException {
        Path full = dir.resolve("full.bin");
        IntentRouter.train(Examples.fourIntents(), "oos", IntentRouterTest.EMBEDDINGS)
                .save(full);
        byte[] bytes = Files.readAllBytes(full);
        Files.write(dir.resolve("router.bin"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Path file = workflow("{model: router.bin}");

        assertThatThrownBy(() -> WorkflowDefinitions.load(file, agents))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("truncated router file");
    }

    @Test
    void a_route_for_a_label_the_model_never_answers_is_a_definition_error() throws IOException {
        IntentRouter.train(Examples.fourIntents(), "oos", IntentRouterTest.EMBEDDINGS)
                .save(dir.resolve("router.bin"));
        Path file = dir.resolve("typo.yaml");
        Files.writeString(
                file,
                WORKFLOW.formatted("{model: router.bin}").replace("exchange_rate: fx-desk", "exchange_rates: fx-desk"));

        assertThatThrownBy(() -> WorkflowDefinitions.load(file, agents))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("typo.yaml:9: field 'steps[0].router.routes.exchange_rates'")
                .hasMessageContaining("the classifier never answers \"exchange_rates\"");
    }

    @Test
    void a_spec_with_both_or_neither_file_is_a_definition_error() throws IOException {
        Path file = workflow("{model: a.bin, examples: b.csv}");

        assertThatThrownBy(() -> WorkflowDefinitions.load(file, agents))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("needs exactly one of model");
    }
}
