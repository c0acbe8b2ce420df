package dev.guildhall.cli;

import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.cost.SpendQuery;
import dev.guildhall.core.cost.SpendRow;
import dev.guildhall.core.util.Durations;
import dev.guildhall.store.jdbc.JdbcCostLedger;
import dev.guildhall.store.jdbc.JdbcDatabase;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code guildhall spend}: what model calls cost, from the cost ledger in the store's database. */
@Command(
        name = "spend",
        description = "Show model spend from the cost ledger, grouped by workspace, user, agent, model or day.")
final class SpendCommand implements Runnable {
    @CommandLine.ParentCommand
    GuildhallCli root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--by",
            paramLabel = "DIMENSION",
            split = ",",
            description = "Group by workspace, user, agent, model and/or day (comma-separated; default: agent,model).")
    List<String> by = new ArrayList<>(List.of("agent", "model"));

    @Option(names = "--workspace", description = "Only this workspace.")
    String workspace;

    @Option(
            names = "--since",
            defaultValue = "30d",
            description = "How far back, e.g. 1d, 12h, 30d (default: ${DEFAULT-VALUE}).")
    String since;

    @Override
    public void run() {
        List<SpendQuery.GroupBy> groups = new ArrayList<>();
        for (String b : by) {
            try {
                groups.add(SpendQuery.GroupBy.valueOf(b.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--by must be workspace, user, agent, model or day, was \"" + b + "\"");
            }
        }
        Instant to = Clock.systemUTC().instant();
        Instant from = to.minus(Durations.parse(since));
        SpendQuery q = (workspace == null
                        ? SpendQuery.allWorkspaces(from, to.plusSeconds(1))
                        : SpendQuery.forWorkspace(WorkspaceId.of(workspace), from, to.plusSeconds(1)))
                .groupBy(groups.toArray(SpendQuery.GroupBy[]::new));
        List<SpendRow> rows;
        try (JdbcDatabase db = root.openDatabase()) {
            rows = new JdbcCostLedger(db.dataSource()).spend(q);
        }
        PrintWriter out = spec.commandLine().getOut();
        long calls = rows.stream().mapToLong(SpendRow::calls).sum();
        if (calls == 0) {
            out.println("no model calls recorded since " + from + " (database: "
                    + CliStore.describe(root.storeSettings()) + ")");
            return;
        }
        out.printf(
                "%-40s %7s %7s %10s %10s %12s%n",
                String.join("/", by), "calls", "cached", "in tok", "out tok", "cost $");
        for (SpendRow r : rows) {
            out.printf(
                    "%-40s %7d %7d %10d %10d %12s%n",
                    label(r, groups),
                    r.calls(),
                    r.cachedCalls(),
                    r.inputTokens(),
                    r.outputTokens(),
                    r.cost().toPlainString());
        }
    }

    private static String label(SpendRow r, List<SpendQuery.GroupBy> groups) {
        List<String> parts = new ArrayList<>();
        for (SpendQuery.GroupBy g : groups) {
            parts.add(
                    switch (g) {
                        case WORKSPACE -> String.valueOf(r.workspace());
                        case USER -> String.valueOf(r.user());
                        case AGENT -> String.valueOf(r.agent());
                        case MODEL -> r.provider() + ":" + r.model();
                        case DAY -> String.valueOf(r.day());
                    });
        }
        return String.join(" / ", parts);
    }
}
