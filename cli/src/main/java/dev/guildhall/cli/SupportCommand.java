package dev.guildhall.cli;

import dev.guildhall.knowledge.collection.SearchMode;
import dev.guildhall.packs.support.replay.SupportReplay;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code guildhall support}: the support pack's commands. */
@Command(
        name = "support",
        description = "The support desk (support pack).",
        subcommands = {SupportCommand.Replay.class})
final class SupportCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "replay",
            mixinStandardHelpOptions = true,
            description = {
                "Train a fresh workspace's router on --train (not timed), then push every message of --data"
                        + " through the whole desk flow as durable runs on an embedded database in a temporary"
                        + " directory, and print routing accuracy, escalation rate, latency and throughput.",
                "Last line: messages=N routing_accuracy=... escalation_rate=... p50_ms=... p99_ms=... throughput_per_s=..."
            })
    static final class Replay implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--train",
                required = true,
                paramLabel = "CSV",
                description = "Router training rows: text,label.")
        Path train;

        @Option(names = "--data", required = true, paramLabel = "CSV", description = "Messages to replay: text,label.")
        Path data;

        @Option(
                names = "--concurrency",
                description = "Runs in flight at once (default: two per core; more only adds queueing: on 2 cores"
                        + " 8 in flight gave the same throughput as 4 at twice the p99).")
        int concurrency = 2 * Runtime.getRuntime().availableProcessors();

        @Option(
                names = "--search",
                defaultValue = "bm25",
                description = "How answers are searched within the routed intent's article: bm25 or hybrid"
                        + " (default: ${DEFAULT-VALUE}).")
        String search;

        @Option(
                names = "--agents",
                paramLabel = "PATH",
                description = "Extra YAML agent definitions (files or directories) to load beside the pack's.")
        List<Path> agents = new ArrayList<>();

        @Option(
                names = "--no-warm-up",
                description =
                        "Do not warm up (training messages through the desk until the JIT compiler is quiet) before timing.")
        boolean noWarmUp;

        @Option(names = "--keep", description = "Keep the temporary data directory and print where it is.")
        boolean keep;

        @Override
        public void run() {
            if (concurrency < 1 || concurrency > 256) {
                throw new IllegalArgumentException("--concurrency must be 1 to 256, was " + concurrency);
            }
            SearchMode mode =
                    switch (search) {
                        case "bm25" -> SearchMode.BM25;
                        case "hybrid" -> SearchMode.HYBRID;
                        default -> throw new IllegalArgumentException("--search must be bm25 or hybrid, was " + search);
                    };
            Path dir;
            try {
                dir = Files.createTempDirectory("guildhall-replay-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary directory", e);
            }
            PrintWriter out = spec.commandLine().getOut();
            try {
                SupportReplay.Report report = SupportReplay.run(
                        new SupportReplay.Options(train, data, dir, concurrency, mode, agents, !noWarmUp), out);
                out.println(report.line());
            } finally {
                if (keep) {
                    out.println("data kept in " + dir);
                } else {
                    deleteTree(dir);
                }
                out.flush();
            }
        }

        private static void deleteTree(Path dir) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                // Temporary files only; the OS cleans its temp directory.
            }
        }
    }
}
