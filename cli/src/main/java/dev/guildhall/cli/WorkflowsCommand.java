package dev.guildhall.cli;

import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.definition.WorkflowDefinitions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code guildhall workflows validate|show}. */
@Command(
        name = "workflows",
        description = "Validate workflow definitions and draw them.",
        subcommands = {WorkflowsCommand.Validate.class, WorkflowsCommand.Show.class})
final class WorkflowsCommand {

    static Workflow load(Path file, List<Path> agents) {
        List<Path> sources =
                agents.isEmpty() ? List.of(file.toAbsolutePath().getParent().resolve("agents")) : agents;
        return WorkflowDefinitions.load(file, AgentsCommand.load(sources));
    }

    @Command(name = "validate", description = "Check a workflow file against its agents.")
    static final class Validate implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "WORKFLOW")
        Path file;

        @Option(
                names = {"-a", "--agents"},
                paramLabel = "PATH",
                description = "Agent definitions (default: the 'agents' directory next to the workflow).")
        List<Path> agents = new ArrayList<>();

        @Override
        public void run() {
            Workflow wf = load(file, agents);
            spec.commandLine()
                    .getOut()
                    .println("ok: workflow " + wf.id() + " with " + wf.nodes().size() + " steps is valid");
        }
    }

    @Command(name = "show", description = "Print a workflow as a Mermaid flowchart.")
    static final class Show implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "WORKFLOW")
        Path file;

        @Option(
                names = {"-a", "--agents"},
                paramLabel = "PATH")
        List<Path> agents = new ArrayList<>();

        @Override
        public void run() {
            spec.commandLine().getOut().print(load(file, agents).toMermaid());
        }
    }
}
