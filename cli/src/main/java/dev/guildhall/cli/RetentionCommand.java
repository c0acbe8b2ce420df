package dev.guildhall.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.util.Durations;
import dev.guildhall.store.jdbc.JdbcDatabase;
import dev.guildhall.store.jdbc.JdbcRetention;
import dev.guildhall.store.jdbc.JdbcRunCatalog;
import dev.guildhall.store.jdbc.RetentionPolicy;
import dev.guildhall.store.jdbc.RetentionReport;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code guildhall retention run}: compacts and deletes finished runs as the retention policy says. */
@Command(
        name = "retention",
        description = "Keep the store from growing: compact finished runs to their final state, later delete them.",
        subcommands = {RetentionCommand.RunOnce.class})
final class RetentionCommand {
    static final String COMPACT_AFTER = "GUILDHALL_RETENTION_COMPACT_AFTER";
    static final String DELETE_AFTER = "GUILDHALL_RETENTION_DELETE_AFTER";
    static final String WORKSPACES = "GUILDHALL_RETENTION_WORKSPACES";

    @CommandLine.ParentCommand
    GuildhallCli root;

    /** A duration ({@code 7d}, {@code 12h}, {@code PT30M}) or {@code never}, which is null. */
    static Duration age(String text, String what) {
        if (text.trim().equalsIgnoreCase("never")) {
            return null;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage() + " or never");
        }
    }

    /** {@code W=COMPACT:DELETE}, for example {@code acme=1d:30d} or {@code audit=never:never}. */
    static Map.Entry<WorkspaceId, RetentionPolicy> override(String text, String what) {
        int eq = text.indexOf('=');
        int colon = text.indexOf(':', eq + 1);
        if (eq <= 0 || colon < 0) {
            throw new IllegalArgumentException(what
                    + " must look like WORKSPACE=COMPACT_AFTER:DELETE_AFTER (e.g. acme=1d:30d), was \"" + text + "\"");
        }
        return Map.entry(
                WorkspaceId.of(text.substring(0, eq).trim()),
                new RetentionPolicy(age(text.substring(eq + 1, colon), what), age(text.substring(colon + 1), what)));
    }

    @Command(name = "run", description = "One retention pass now; prints what it did and the storage before and after.")
    static final class RunOnce implements Runnable {
        @CommandLine.ParentCommand
        RetentionCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--compact-after",
                paramLabel = "DURATION",
                description = "Compact finished runs this long after their last change: 7d, 12h, PT30M or never"
                        + " (default: $" + COMPACT_AFTER + " or 7d).")
        String compactAfter;

        @Option(
                names = "--delete-after",
                paramLabel = "DURATION",
                description = "Delete finished runs this long after their last change (default: $" + DELETE_AFTER
                        + " or 90d).")
        String deleteAfter;

        @Option(
                names = "--workspace-policy",
                paramLabel = "W=COMPACT:DELETE",
                description = "A workspace's own limits, e.g. acme=1d:30d or audit=never:never (repeatable; adds to $"
                        + WORKSPACES + ", comma-separated).")
        List<String> workspacePolicies = new ArrayList<>();

        @Option(
                names = "--batch-size",
                defaultValue = "100",
                description = "Runs read per query; each run is its own short transaction (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--json", description = "Print the report as one JSON object.")
        boolean json;

        @Override
        public void run() {
            Map<String, String> env = parent.root.env;
            RetentionPolicy defaults = new RetentionPolicy(
                    age(option(compactAfter, env.get(COMPACT_AFTER), "7d"), "--compact-after"),
                    age(option(deleteAfter, env.get(DELETE_AFTER), "90d"), "--delete-after"));
            Map<WorkspaceId, RetentionPolicy> overrides = new LinkedHashMap<>();
            String fromEnv = env.get(WORKSPACES);
            if (fromEnv != null && !fromEnv.isBlank()) {
                for (String part : fromEnv.split(",")) {
                    if (!part.isBlank()) {
                        var o = override(part.trim(), "$" + WORKSPACES);
                        overrides.put(o.getKey(), o.getValue());
                    }
                }
            }
            for (String p : workspacePolicies) {
                var o = override(p, "--workspace-policy");
                overrides.put(o.getKey(), o.getValue());
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("--batch-size must be at least 1, was " + batchSize);
            }
            PrintWriter out = spec.commandLine().getOut();
            try (JdbcDatabase db = parent.root.openDatabase()) {
                JdbcRetention.Builder builder = JdbcRetention.builder(db.dataSource())
                        .clock(Clock.systemUTC())
                        .defaultPolicy(defaults)
                        .batchSize(batchSize);
                overrides.forEach(builder::policy);
                JdbcRetention retention = builder.build();
                JdbcRunCatalog catalog = new JdbcRunCatalog(db.dataSource());
                Totals before = Totals.of(catalog);
                long started = System.nanoTime();
                RetentionReport report = retention.run();
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                Totals after = Totals.of(catalog);
                if (json) {
                    ObjectNode n = Json.object();
                    n.put("defaultPolicy", defaults.toString());
                    ObjectNode o = n.putObject("overrides");
                    overrides.forEach((w, p) -> o.put(w.value(), p.toString()));
                    n.put("runsCompacted", report.runsCompacted());
                    n.put("runsDeleted", report.runsDeleted());
                    n.put("checkpointsRemoved", report.checkpointsRemoved());
                    n.put("payloadsRemoved", report.payloadsRemoved());
                    n.put("signalsRemoved", report.signalsRemoved());
                    n.put("bytesFreed", report.bytesFreed());
                    n.put("runsBefore", before.runs());
                    n.put("runsAfter", after.runs());
                    n.put("bytesBefore", before.bytes());
                    n.put("bytesAfter", after.bytes());
                    n.put("millis", took.toMillis());
                    out.println(Json.write(n));
                    return;
                }
                out.println(
                        "retention: " + defaults + (overrides.isEmpty() ? "" : "; overrides " + describe(overrides)));
                out.printf(
                        "compacted %d run(s), deleted %d run(s); removed %d checkpoint(s), %d payload(s),"
                                + " %d signal(s); freed ~%,d bytes in %d ms%n",
                        report.runsCompacted(),
                        report.runsDeleted(),
                        report.checkpointsRemoved(),
                        report.payloadsRemoved(),
                        report.signalsRemoved(),
                        report.bytesFreed(),
                        took.toMillis());
                out.printf(
                        "storage: %d run(s), %d checkpoint(s), %,d bytes before; %d run(s), %d checkpoint(s), %,d bytes"
                                + " after%n",
                        before.runs(),
                        before.checkpoints(),
                        before.bytes(),
                        after.runs(),
                        after.checkpoints(),
                        after.bytes());
            }
        }

        private static String describe(Map<WorkspaceId, RetentionPolicy> overrides) {
            List<String> parts = new ArrayList<>();
            overrides.forEach((w, p) -> parts.add(w + " (" + p + ")"));
            return String.join(", ", parts);
        }

        /** The whole store's size, from the storage report. */
        private record Totals(long runs, long checkpoints, long bytes) {
            static Totals of(JdbcRunCatalog catalog) {
                long runs = 0;
                long checkpoints = 0;
                long bytes = 0;
                for (JdbcRunCatalog.WorkspaceStorage w : catalog.storageByWorkspace(null)) {
                    runs += w.runs();
                    checkpoints += w.checkpoints();
                    bytes += w.bytes();
                }
                return new Totals(runs, checkpoints, bytes);
            }
        }

        private static String option(String given, String env, String fallback) {
            if (given != null) {
                return given;
            }
            return env == null || env.isBlank() ? fallback : env;
        }
    }
}
