package dev.guildhall.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.RunResult;
import dev.guildhall.core.workflow.StartRequest;
import dev.guildhall.core.workflow.StateKey;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.definition.WorkflowDefinitions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code guildhall demo}: the support-desk example on embedded defaults. Reads its files from
 * {@code examples/support-desk} under the Guildhall home, so editing them changes the demo.
 */
@Command(
        name = "demo",
        description = "Run the support-desk demo workflow on embedded defaults (no API key, no services).")
final class DemoCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    GuildhallCli root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-m", "--message"},
            paramLabel = "TEXT",
            description = "Your own customer message(s) instead of the samples (repeatable).")
    List<String> messages = new ArrayList<>();

    @Option(names = "--json", description = "Print events as JSON lines.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path example = home().resolve("examples/support-desk");
        if (!Files.isDirectory(example)) {
            throw new IllegalArgumentException(
                    "demo files not found in " + example + "; set GUILDHALL_HOME to the Guildhall checkout");
        }
        List<JsonNode> inputs = new ArrayList<>();
        if (messages.isEmpty()) {
            Json.parse(Files.readString(example.resolve("messages.json"))).forEach(inputs::add);
        } else {
            messages.forEach(m -> inputs.add(Json.object().put("message", m)));
        }
        try (CliRuntime rt = CliRuntime.create(root, List.of(example.resolve("agents")), new EventPrinter(out, json))) {
            Workflow wf = WorkflowDefinitions.load(example.resolve("workflow.yaml"), rt.agents);
            out.println("Guildhall demo: the support-desk workflow (" + example.resolve("workflow.yaml") + ")");
            out.println(rt.agents.size() + " agents · " + rt.modelsLine());
            int failed = 0;
            for (JsonNode input : inputs) {
                out.println();
                out.println("customer: " + input.path("message").asText());
                RunResult r = rt.engine.run(wf, StartRequest.of(WorkspaceId.of("demo"), input), Duration.ofMinutes(2));
                out.println("  → " + outcome(r));
                failed += r.succeeded() ? 0 : 1;
            }
            out.println();
            out.println("Model calls recorded: "
                    + rt.ledger
                            .entries(dev.guildhall.core.cost.SpendQuery.allWorkspaces(
                                    java.time.Instant.EPOCH,
                                    java.time.Instant.now().plusSeconds(60)))
                            .size()
                    + " (see 'bin/guildhall spend'). Next: bin/guildhall run " + example.resolve("workflow.yaml")
                    + " --input-json '{\"message\":\"...\"}'");
            return failed == 0 ? 0 : 1;
        }
    }

    private Path home() {
        String h = root.env.get("GUILDHALL_HOME");
        return Path.of(h == null || h.isBlank() ? "." : h);
    }

    /** One line saying how the message was handled, quoting the answer and its source. */
    static String outcome(RunResult r) {
        if (!r.succeeded()) {
            return "run " + r.status() + ": " + r.failure();
        }
        var answer = r.state().find(StateKey.of("answer", AgentResult.class));
        var handoff = r.state().find(StateKey.of("handoff", AgentResult.class));
        var panel = r.state().find(StateKey.of("panel", AgentResult.class));
        String intent = r.state().at("classify.output.label").asText("?");
        if (answer.isPresent() && answer.get().output().path("verified").asBoolean()) {
            JsonNode a = answer.get().output().path("answer");
            return "intent %s, answered (%s, reviewed in %d attempt(s)): \"%s\" [source: %s]"
                    .formatted(
                            intent,
                            answer.get().mode().name().toLowerCase(),
                            answer.get().output().path("attempts").asInt(),
                            a.path("text").asText(),
                            a.path("source").asText());
        }
        String note = panel.map(p -> " · panel note: "
                        + p.output().path("synthesis").path("text").asText())
                .orElse("");
        String reason = handoff.map(h -> h.output().path("reason").asText())
                .or(() -> answer.map(
                        a -> a.output().path("escalation").path("reason").asText()))
                .orElse("");
        return "intent %s, escalated to a human: %s%s".formatted(intent, reason, note);
    }
}
