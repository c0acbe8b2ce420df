package dev.guildhall.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.RunId;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.cost.CostEntry;
import dev.guildhall.core.cost.SpendQuery;
import dev.guildhall.core.jobs.WorkerOptions;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.util.Durations;
import dev.guildhall.core.workflow.RunHandle;
import dev.guildhall.core.workflow.RunListener;
import dev.guildhall.core.workflow.RunResult;
import dev.guildhall.core.workflow.RunStatus;
import dev.guildhall.core.workflow.StartRequest;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.WorkflowRegistry;
import dev.guildhall.core.workflow.definition.WorkflowDefinitions;
import dev.guildhall.store.jdbc.DurableRuntime;
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

    @Option(
            names = "--submit",
            description = "Put the run in the durable queue and return its id at once; a worker"
                    + " ('guildhall worker') drives it.")
    boolean submit;

    @Option(
            names = "--idempotency-key",
            paramLabel = "KEY",
            description = "Starting again with a key the workspace already used returns the existing run.")
    String idempotencyKey;

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
            if (!json && !submit) {
                out.println("workflow " + wf.id() + " · " + rt.agents.size() + " agents · " + rt.modelsLine());
            }
            StartRequest request = new StartRequest(
                    WorkspaceId.of(workspace), input, user == null ? null : UserId.of(user), idempotencyKey);
            List<String[]> parsedSignals = parseSignals();
            if (submit) {
                return submit(out, rt, wf, request, parsedSignals);
            }
            RunHandle handle = rt.engine.start(wf, request);
            for (String[] s : parsedSignals) {
                handle.signal(s[0], Json.parse(s[1]));
            }
            RunResult result = handle.awaitSettled(Durations.parse(timeout));
            return report(out, rt, result);
        }
    }

    private List<String[]> parseSignals() {
        List<String[]> out = new ArrayList<>();
        for (String s : signals) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--signal must look like NAME=JSON, was \"" + s + "\"");
            }
            Json.parse(s.substring(eq + 1)); // Bad JSON fails here, before anything is stored.
            out.add(new String[] {s.substring(0, eq), s.substring(eq + 1)});
        }
        return out;
    }

    /** Stores the run and its queue entry (and any signals) without driving it: a worker will. */
    private int submit(
            PrintWriter out, CliRuntime rt, Workflow wf, StartRequest request, List<String[]> parsedSignals) {
        WorkflowRegistry registry = new WorkflowRegistry().register(wf);
        DurableRuntime node =
                rt.durable(WorkerOptions.defaults(WorkerCommand.defaultId("submit")), registry, RunListener.noop());
        RunId run = node.engine().start(wf, request).id();
        for (String[] s : parsedSignals) {
            node.engine().signal(run, s[0], Json.parse(s[1]));
        }
        if (json) {
            var node2 = Json.object();
            node2.put("type", "RunSubmitted");
            node2.put("run", run.value());
            node2.put("workflow", wf.id());
            node2.put("workspace", request.workspace().value());
            out.println(Json.write(node2));
        } else {
            out.println("submitted run " + run + " (workflow " + wf.id() + ", workspace " + request.workspace()
                    + "); a worker drives it: guildhall worker " + workflowFile);
        }
        return 0;
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
                            + "; send the signal with --signal NAME=JSON (this command drives runs in-process;"
                            + " use --submit and 'guildhall worker' for runs that outlive it)");
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
