package dev.guildhall.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.cost.CostEntry;
import dev.guildhall.core.cost.SpendQuery;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.util.Durations;
import dev.guildhall.core.workflow.RunHandle;
import dev.guildhall.core.workflow.RunResult;
import dev.guildhall.core.workflow.RunStatus;
import dev.guildhall.core.workflow.StartRequest;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.definition.WorkflowDefinitions;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code guildhall run}: runs a workflow file with an input and prints its events as they happen. */
@Command(name = "run", description = "Run a workflow from a YAML file and print its events as it goes.")
final class RunCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    GuildhallCli root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "WORKFLOW", description = "The workflow definition (YAML).")
    Path workflowFile;

    @Option(
            names = {"-a", "--agents"},
            paramLabel = "PATH",
            description =
                    "Agent definitions: a YAML file or a directory (repeatable). Default: the 'agents' directory next to the workflow.")
    List<Path> agents = new ArrayList<>();

    @Option(
            names = {"-i", "--input"},
            paramLabel = "FILE",
            description = "The run's input: a JSON object in a file ('-' for standard input).")
    String inputFile;

    @Option(
            names = "--input-json",
            paramLabel = "JSON",
            description = "The run's input as a JSON object on the command line.")
    String inputJson;

    @Option(
            names = {"-s", "--signal"},
            paramLabel = "NAME=JSON",
            description = "Send this signal once the run has started (repeatable).")
    List<String> signals = new ArrayList<>();

    @Option(
            names = "--workspace",
            defaultValue = "default",
            description = "Workspace the run belongs to (default: ${DEFAULT-VALUE}).")
    String workspace;

    @Option(names = "--user", description = "User the run is for (their budget applies too).")
    String user;

    @Option(
            names = "--timeout",
            defaultValue = "5m",
            description = "How long to wait for the run (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--json", description = "Print events and the result as JSON lines.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isRegularFile(workflowFile)) {
            throw new IllegalArgumentException("workflow file not found: " + workflowFile);
        }
        JsonNode input = readInput();
        List<Path> agentSources = agents.isEmpty() ? defaultAgents() : agents;
        try (CliRuntime rt = CliRuntime.create(root, agentSources, new EventPrinter(out, json))) {
            Workflow wf = WorkflowDefinitions.load(workflowFile, rt.agents);
            if (!json) {
                out.println("workflow " + wf.id() + " · " + rt.agents.size() + " agents · " + rt.modelsLine());
            }
            StartRequest request =
                    new StartRequest(WorkspaceId.of(workspace), input, user == null ? null : UserId.of(user), null);
            RunHandle handle = rt.engine.start(wf, request);
            for (String s : signals) {
                int eq = s.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--signal must look like NAME=JSON, was \"" + s + "\"");
                }
                handle.signal(s.substring(0, eq), Json.parse(s.substring(eq + 1)));
            }
            RunResult result = handle.awaitSettled(Durations.parse(timeout));
            return report(out, rt, result);
        }
    }

    private int report(PrintWriter out, CliRuntime rt, RunResult result) {
        List<CostEntry> calls =
                rt
                        .ledger
                        .entries(SpendQuery.allWorkspaces(
                                Instant.EPOCH, Instant.now().plusSeconds(60)))
                        .stream()
                        .filter(e -> result.id().equals(e.run()))
                        .toList();
        BigDecimal cost = calls.stream().map(CostEntry::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (json) {
            var node = Json.object();
            node.put("type", "RunResult");
            node.put("run", result.id().value());
            node.put("status", result.status().name());
            node.set("state", result.state().toJson());
            node.set("failure", Json.toTree(result.failure()));
            node.put("modelCalls", calls.size());
            node.put("cost", cost);
            out.println(Json.write(node));
        } else {
            out.println();
            out.println("run " + result.id() + " " + result.status());
            out.println(result.state().toJson().toPrettyString());
            out.println("model calls: " + calls.size() + " · cost: $" + cost.toPlainString());
        }
        out.flush();
        if (result.status() == RunStatus.SUSPENDED) {
            spec.commandLine()
                    .getErr()
                    .println("guildhall: run suspended waiting for "
                            + result.waits().keySet()
                            + "; send the signal with --signal NAME=JSON (this CLI keeps runs in memory)");
            return 3;
        }
        if (result.status() != RunStatus.SUCCEEDED) {
            spec.commandLine()
                    .getErr()
                    .println("guildhall: run " + result.status().name().toLowerCase()
                            + (result.failure() == null ? "" : ": " + result.failure()));
            return 1;
        }
        return 0;
    }

    private List<Path> defaultAgents() {
        Path dir = workflowFile.toAbsolutePath().getParent().resolve("agents");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no agents given and " + dir + " does not exist; pass --agents PATH");
        }
        return List.of(dir);
    }

    private JsonNode readInput() throws IOException {
        if (inputFile != null && inputJson != null) {
            throw new IllegalArgumentException("give --input or --input-json, not both");
        }
        String text = inputJson != null
                ? inputJson
                : inputFile == null
                        ? "{}"
                        : inputFile.equals("-")
                                ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                                : Files.readString(Path.of(inputFile));
        JsonNode node = Json.parse(text);
        if (!node.isObject()) {
            throw new IllegalArgumentException("the input must be a JSON object, was "
                    + node.getNodeType().name().toLowerCase());
        }
        return node;
    }
}
