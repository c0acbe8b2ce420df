package dev.guildhall.cli;

import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.agent.AgentDescriptor;
import dev.guildhall.core.agent.Tier;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.registry.AgentQuery;
import dev.guildhall.core.registry.AgentRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code guildhall agents list|validate}. */
@Command(
        name = "agents",
        description = "List and validate agent definitions.",
        subcommands = {AgentsCommand.List.class, AgentsCommand.Validate.class})
final class AgentsCommand {

    static AgentRegistry load(java.util.List<Path> paths) {
        AgentRegistry.Builder b = AgentRegistry.builder();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("agent definitions not found: " + p);
            }
            b.loadDefinitions(p);
        }
        return b.build();
    }

    @Command(name = "list", description = "List agents, optionally filtered by tier, team and capability.")
    static final class List implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Agent definition files or directories.")
        java.util.List<Path> paths;

        @Option(names = "--tier", description = "1 essential, 2 revenue, 3 operational, 4 advanced (or the name).")
        String tier;

        @Option(names = "--team", description = "Team, guild or council.")
        String team;

        @Option(names = "--capability", description = "A capability tag (repeatable; all must match).")
        java.util.List<String> capabilities = java.util.List.of();

        @Option(names = "--json", description = "One JSON object per agent.")
        boolean json;

        @Override
        public void run() {
            AgentQuery q = AgentQuery.any();
            if (tier != null) {
                q = q.withTier(Tier.parse(tier));
            }
            if (team != null) {
                q = q.withTeam(team);
            }
            for (String c : capabilities) {
                q = q.withCapability(c);
            }
            PrintWriter out = spec.commandLine().getOut();
            java.util.List<Agent> found = load(paths).query(q);
            for (Agent a : found) {
                AgentDescriptor d = a.descriptor();
                if (json) {
                    var node = Json.object();
                    node.put("id", d.id().value());
                    node.put("name", d.displayName());
                    node.put("tier", d.tier().number());
                    node.put("team", d.team());
                    node.set(
                            "capabilities",
                            Json.toTree(d.capabilities().stream().sorted().toList()));
                    node.put("model", d.modelPolicy().wireName());
                    node.put("source", d.source());
                    out.println(Json.write(node));
                } else {
                    out.printf(
                            "%-22s tier %d %-12s %-11s model %-8s %s%n",
                            d.id(),
                            d.tier().number(),
                            d.tier().name().toLowerCase(),
                            d.team(),
                            d.modelPolicy().wireName(),
                            String.join(",", d.capabilities().stream().sorted().toList()));
                }
            }
            if (!json) {
                out.println(found.size() + " agent" + (found.size() == 1 ? "" : "s"));
            }
        }
    }

    @Command(name = "validate", description = "Check agent definitions; print every problem with file, line and field.")
    static final class Validate implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Agent definition files or directories.")
        java.util.List<Path> paths;

        @Override
        public void run() {
            AgentRegistry registry = load(paths);
            spec.commandLine().getOut().println("ok: " + registry.size() + " agents valid");
        }
    }
}
