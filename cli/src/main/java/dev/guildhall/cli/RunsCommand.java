package dev.guildhall.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.RunId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.jobs.DeadLetter;
import dev.guildhall.core.jobs.WorkerOptions;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.RunSnapshot;
import dev.guildhall.core.workflow.RunStatus;
import dev.guildhall.store.jdbc.DurableRuntime;
import dev.guildhall.store.jdbc.JdbcDatabase;
import dev.guildhall.store.jdbc.JdbcJobQueue;
import dev.guildhall.store.jdbc.JdbcRunCatalog;
import dev.guildhall.store.jdbc.JdbcRunCatalog.RunStorage;
import dev.guildhall.store.jdbc.JdbcRunCatalog.RunSummary;
import dev.guildhall.store.jdbc.JdbcRunCatalog.WorkspaceStorage;
import dev.guildhall.store.jdbc.JdbcRunStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code guildhall runs ...}: the runs in the store, what they take up, and the dead letters. */
@Command(
        name = "runs",
        description = "List and inspect stored runs, their storage, and dead letters (retry or discard them).",
        subcommands = {
            RunsCommand.ListRuns.class,
            RunsCommand.ShowRun.class,
            RunsCommand.Storage.class,
            RunsCommand.Dead.class,
            RunsCommand.Retry.class,
            RunsCommand.Discard.class
        })
final class RunsCommand {
    @CommandLine.ParentCommand
    GuildhallCli root;

    static RunStatus status(String text) {
        try {
            return RunStatus.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--status must be one of " + List.of(RunStatus.values()) + ", was \"" + text + "\"");
        }
    }

    static void positive(int value, String option) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, was " + value);
        }
    }

    /** A dead-letter operation needs a node (engine, queue, store) but drives nothing: no workflows, no worker. */
    static DurableRuntime operatorNode(JdbcDatabase db) {
        return DurableRuntime.open(
                db, Clock.systemUTC(), WorkerOptions.defaults(WorkerCommand.defaultId("cli")), b -> b);
    }

    @Command(name = "list", description = "Runs, most recently changed first.")
    static final class ListRuns implements Runnable {
        @CommandLine.ParentCommand
        RunsCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--workspace", description = "Only this workspace.")
        String workspace;

        @Option(
                names = "--status",
                description = "Only runs in this status (PENDING, RUNNING, SUSPENDED, SUCCEEDED, FAILED, CANCELLED).")
        String status;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "One JSON object per run and line.")
        boolean json;

        @Override
        public void run() {
            positive(limit, "--limit");
            RunStatus s = status == null ? null : status(status);
            List<RunSummary> runs;
            try (JdbcDatabase db = parent.root.openDatabase()) {
                runs = new JdbcRunCatalog(db.dataSource())
                        .list(workspace == null ? null : WorkspaceId.of(workspace), s, limit);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                for (RunSummary r : runs) {
                    ObjectNode n = Json.object();
                    n.put("run", r.id().value());
                    n.put("workspace", r.workspace().value());
                    n.put("workflow", r.workflowId());
                    n.put("status", r.status().name());
                    n.put("version", r.version());
                    n.put("superstep", r.superstep());
                    n.put("compacted", r.compacted());
                    n.put("createdAt", r.createdAt().toString());
                    n.put("updatedAt", r.updatedAt().toString());
                    out.println(Json.write(n));
                }
                return;
            }
            if (runs.isEmpty()) {
                out.println("no runs" + (workspace == null ? "" : " in workspace " + workspace)
                        + (s == null ? "" : " with status " + s));
                return;
            }
            out.printf(
                    "%-36s  %-12s  %-20s  %-9s  %9s  %s%n",
                    "RUN", "WORKSPACE", "WORKFLOW", "STATUS", "SUPERSTEP", "UPDATED");
            for (RunSummary r : runs) {
                out.printf(
                        "%-36s  %-12s  %-20s  %-9s  %9d  %s%n",
                        r.id(), r.workspace(), r.workflowId(), r.status(), r.superstep(), r.updatedAt());
            }
            out.println(runs.size() + " run(s)");
        }
    }

    @Command(name = "show", description = "A run: its status, workflow, storage and checkpoint history.")
    static final class ShowRun implements Runnable {
        @CommandLine.ParentCommand
        RunsCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "RUN_ID")
        String runId;

        @Option(names = "--json", description = "As one JSON object.")
        boolean json;

        @Override
        public void run() {
            RunId id = RunId.of(runId);
            PrintWriter out = spec.commandLine().getOut();
            try (JdbcDatabase db = parent.root.openDatabase()) {
                JdbcRunStore store = new JdbcRunStore(db.dataSource());
                RunSnapshot run = store.find(id)
                        .orElseThrow(() -> new IllegalArgumentException("no run " + runId + " in the store"));
                List<RunSnapshot> history = store.history(id);
                Optional<RunStorage> storage = new JdbcRunCatalog(db.dataSource()).storage(id);
                Optional<DeadLetter> dead = new JdbcJobQueue(db.dataSource(), Clock.systemUTC())
                        .deadLetters(Integer.MAX_VALUE).stream()
                                .filter(d -> d.run().equals(id))
                                .findFirst();
                if (json) {
                    printJson(out, run, history, storage, dead);
                } else {
                    printText(out, run, history, storage, dead);
                }
            }
        }

        private static void printJson(
                PrintWriter out,
                RunSnapshot run,
                List<RunSnapshot> history,
                Optional<RunStorage> storage,
                Optional<DeadLetter> dead) {
            ObjectNode n = Json.object();
            n.put("run", run.id().value());
            n.put("workflow", run.workflowId());
            n.put("workspace", run.workspace().value());
            n.put("status", run.status().name());
            n.put("version", run.version());
            n.put("superstep", run.superstep());
            n.put("createdAt", run.createdAt().toString());
            n.put("updatedAt", run.updatedAt().toString());
            n.set("state", run.state().toJson());
            n.set("failure", Json.toTree(run.failure()));
            storage.ifPresent(s -> n.set("storage", storageJson(s)));
            dead.ifPresent(d -> {
                ObjectNode dn = n.putObject("deadLetter");
                dn.put("reason", d.reason());
                dn.put("claims", d.claims());
                dn.put("at", d.at().toString());
            });
            ArrayNode steps = n.putArray("history");
            for (RunSnapshot h : history) {
                ObjectNode hn = steps.addObject();
                hn.put("version", h.version());
                hn.put("status", h.status().name());
                hn.put("superstep", h.superstep());
                hn.put("at", h.updatedAt().toString());
                hn.set("frontier", Json.toTree(h.frontier()));
            }
            out.println(Json.write(n));
        }

        private static void printText(
                PrintWriter out,
                RunSnapshot run,
                List<RunSnapshot> history,
                Optional<RunStorage> storage,
                Optional<DeadLetter> dead) {
            out.println("run " + run.id());
            out.println("  workflow   " + run.workflowId());
            out.println("  workspace  " + run.workspace());
            out.println("  status     " + run.status() + " (version " + run.version() + ", superstep " + run.superstep()
                    + ")");
            out.println("  created    " + run.createdAt());
            out.println("  updated    " + run.updatedAt());
            storage.ifPresent(s -> out.printf(
                    "  storage    %d checkpoint(s), %d payload(s), %,d bytes%s%n",
                    s.checkpoints(), s.payloads(), s.bytes(), s.compacted() ? " (compacted)" : ""));
            if (run.failure() != null) {
                out.println("  failure    " + run.failure());
            }
            if (!run.waits().isEmpty()) {
                out.println("  waiting    " + run.waits());
            }
            dead.ifPresent(d -> out.println("  dead letter since " + d.at() + " after " + d.claims() + " claim(s): "
                    + d.reason() + " (guildhall runs retry|discard " + run.id() + ")"));
            out.println("history (" + history.size() + " checkpoint(s)):");
            out.printf("  %7s  %-9s  %9s  %-30s  %s%n", "VERSION", "STATUS", "SUPERSTEP", "AT", "NEXT");
            for (RunSnapshot h : history) {
                out.printf(
                        "  %7d  %-9s  %9d  %-30s  %s%n",
                        h.version(),
                        h.status(),
                        h.superstep(),
                        h.updatedAt(),
                        h.frontier().isEmpty() ? "-" : String.join(", ", h.frontier()));
            }
        }
    }

    static ObjectNode storageJson(RunStorage s) {
        ObjectNode n = Json.object();
        n.put("run", s.run().value());
        n.put("workspace", s.workspace().value());
        n.put("workflow", s.workflowId());
        n.put("status", s.status().name());
        n.put("compacted", s.compacted());
        n.put("checkpoints", s.checkpoints());
        n.put("payloads", s.payloads());
        n.put("checkpointBytes", s.checkpointBytes());
        n.put("payloadBytes", s.payloadBytes());
        n.put("bytes", s.bytes());
        return n;
    }

    @Command(
            name = "storage",
            description = "What runs store (checkpoints, payloads, bytes), per run and per workspace.")
    static final class Storage implements Runnable {
        @CommandLine.ParentCommand
        RunsCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--workspace", description = "Only this workspace.")
        String workspace;

        @Option(names = "--limit", defaultValue = "20", description = "Largest runs shown (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "JSON lines: one per run, then one per workspace, then the total.")
        boolean json;

        @Override
        public void run() {
            positive(limit, "--limit");
            WorkspaceId ws = workspace == null ? null : WorkspaceId.of(workspace);
            List<RunStorage> runs;
            List<WorkspaceStorage> totals;
            try (JdbcDatabase db = parent.root.openDatabase()) {
                JdbcRunCatalog catalog = new JdbcRunCatalog(db.dataSource());
                runs = catalog.storage(ws, limit);
                totals = catalog.storageByWorkspace(ws);
            }
            long allRuns = totals.stream().mapToLong(WorkspaceStorage::runs).sum();
            long allCheckpoints =
                    totals.stream().mapToLong(WorkspaceStorage::checkpoints).sum();
            long allPayloads =
                    totals.stream().mapToLong(WorkspaceStorage::payloads).sum();
            long allBytes = totals.stream().mapToLong(WorkspaceStorage::bytes).sum();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                for (RunStorage r : runs) {
                    ObjectNode n = storageJson(r);
                    n.put("type", "run");
                    out.println(Json.write(n));
                }
                for (WorkspaceStorage t : totals) {
                    out.println(Json.write(totalJson(
                            "workspace", t.workspace().value(), t.runs(), t.checkpoints(), t.payloads(), t.bytes())));
                }
                out.println(Json.write(totalJson("total", null, allRuns, allCheckpoints, allPayloads, allBytes)));
                return;
            }
            if (runs.isEmpty()) {
                out.println("no runs stored" + (workspace == null ? "" : " in workspace " + workspace));
                return;
            }
            out.printf(
                    "%-36s  %-12s  %-9s  %11s  %8s  %14s%n",
                    "RUN", "WORKSPACE", "STATUS", "CHECKPOINTS", "PAYLOADS", "BYTES");
            for (RunStorage r : runs) {
                out.printf(
                        "%-36s  %-12s  %-9s  %11d  %8d  %,14d%s%n",
                        r.run(),
                        r.workspace(),
                        r.status(),
                        r.checkpoints(),
                        r.payloads(),
                        r.bytes(),
                        r.compacted() ? "  compacted" : "");
            }
            if (allRuns > runs.size()) {
                out.println("(the " + runs.size() + " largest of " + allRuns + " runs; --limit shows more)");
            }
            out.println();
            out.printf("%-36s  %-12s  %11s  %8s  %14s%n", "WORKSPACE", "RUNS", "CHECKPOINTS", "PAYLOADS", "BYTES");
            for (WorkspaceStorage t : totals) {
                out.printf(
                        "%-36s  %-12d  %11d  %8d  %,14d%n",
                        t.workspace(), t.runs(), t.checkpoints(), t.payloads(), t.bytes());
            }
            out.printf("%-36s  %-12d  %11d  %8d  %,14d%n", "total", allRuns, allCheckpoints, allPayloads, allBytes);
        }

        private static ObjectNode totalJson(
                String type, String workspace, long runs, long checkpoints, long payloads, long bytes) {
            ObjectNode n = Json.object();
            n.put("type", type);
            if (workspace != null) {
                n.put("workspace", workspace);
            }
            n.put("runs", runs);
            n.put("checkpoints", checkpoints);
            n.put("payloads", payloads);
            n.put("bytes", bytes);
            return n;
        }
    }

    @Command(name = "dead", description = "Dead letters: runs parked for an operator, oldest first.")
    static final class Dead implements Runnable {
        @CommandLine.ParentCommand
        RunsCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "One JSON object per dead letter and line.")
        boolean json;

        @Override
        public void run() {
            positive(limit, "--limit");
            List<DeadLetter> dead;
            try (JdbcDatabase db = parent.root.openDatabase()) {
                dead = new JdbcJobQueue(db.dataSource(), Clock.systemUTC()).deadLetters(limit);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                for (DeadLetter d : dead) {
                    ObjectNode n = Json.object();
                    n.put("run", d.run().value());
                    n.put("reason", d.reason());
                    n.put("claims", d.claims());
                    n.put("at", d.at().toString());
                    out.println(Json.write(n));
                }
                return;
            }
            if (dead.isEmpty()) {
                out.println("no dead letters");
                return;
            }
            out.printf("%-36s  %6s  %-30s  %s%n", "RUN", "CLAIMS", "SINCE", "REASON");
            for (DeadLetter d : dead) {
                out.printf(
                        "%-36s  %6d  %-30s  %s%n",
                        d.run(), d.claims(), d.at(), d.reason().replace('\n', ' '));
            }
            out.println(dead.size() + " dead letter(s); guildhall runs retry|discard RUN_ID");
        }
    }

    @Command(
            name = "retry",
            description = "Retry a dead letter: a failed run goes back to the checkpoint before its failed superstep,"
                    + " RUNNING and due now, for any worker serving its workflow.")
    static final class Retry implements Runnable {
        @CommandLine.ParentCommand
        RunsCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "RUN_ID")
        String runId;

        @Override
        public void run() {
            RunId id = RunId.of(runId);
            try (JdbcDatabase db = parent.root.openDatabase();
                    DurableRuntime node = operatorNode(db)) {
                if (!node.retry(id)) {
                    throw new IllegalArgumentException(
                            "run " + runId + " is not a dead letter (guildhall runs dead lists them)");
                }
                RunSnapshot run = node.store().get(id);
                spec.commandLine()
                        .getOut()
                        .println("run " + id + " retried: " + run.status() + " at superstep " + run.superstep()
                                + ", due now for a worker serving workflow " + run.workflowId());
            }
        }
    }

    @Command(
            name = "discard",
            description = "Discard a dead letter: its queue entry goes; a run that had not failed is cancelled.")
    static final class Discard implements Runnable {
        @CommandLine.ParentCommand
        RunsCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "RUN_ID")
        String runId;

        @Override
        public void run() {
            RunId id = RunId.of(runId);
            try (JdbcDatabase db = parent.root.openDatabase();
                    DurableRuntime node = operatorNode(db)) {
                if (!node.discard(id)) {
                    throw new IllegalArgumentException(
                            "run " + runId + " is not a dead letter (guildhall runs dead lists them)");
                }
                spec.commandLine()
                        .getOut()
                        .println("run " + id + " discarded: "
                                + node.store().get(id).status() + "; retention removes it once it is old enough");
            }
        }
    }
}
