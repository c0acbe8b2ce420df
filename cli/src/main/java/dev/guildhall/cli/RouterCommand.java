package dev.guildhall.cli;

import dev.guildhall.knowledge.embed.InProcessEmbeddingService;
import dev.guildhall.knowledge.router.IntentRouter;
import dev.guildhall.knowledge.router.LabelledCsv;
import dev.guildhall.knowledge.router.LabelledExample;
import dev.guildhall.knowledge.router.RouterEvaluation;
import dev.guildhall.knowledge.router.TrainingOptions;
import dev.guildhall.knowledge.router.TrainingReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code guildhall router}: train the intent router from a labelled CSV file and evaluate it. */
@Command(
        name = "router",
        description = "Train and evaluate the intent router (text,label CSV files with a header row).",
        subcommands = {RouterCommand.Train.class, RouterCommand.Eval.class})
final class RouterCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "train",
            mixinStandardHelpOptions = true,
            description = "Train a router from labelled examples and save it.")
    static final class Train implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--data",
                required = true,
                paramLabel = "CSV",
                description = "Training rows: text,label with a header.")
        Path data;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to save the router.")
        Path out;

        @Option(
                names = "--oos-label",
                defaultValue = TrainingOptions.DEFAULT_OOS_LABEL,
                paramLabel = "LABEL",
                description = "Label of out-of-scope rows (default: ${DEFAULT-VALUE}).")
        String oosLabel;

        @Option(
                names = "--seed",
                defaultValue = "42",
                description = "Seed of the held-out split (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public void run() {
            List<LabelledExample> examples = LabelledCsv.read(data);
            IntentRouter router = IntentRouter.train(
                    examples,
                    TrainingOptions.defaults().withOosLabel(oosLabel).withSeed(seed),
                    InProcessEmbeddingService.bgeSmallEnV15Quantized());
            router.save(out);
            TrainingReport r = router.report();
            PrintWriter o = spec.commandLine().getOut();
            o.printf(
                    Locale.ROOT,
                    "trained on %d rows: %d labels, %d out-of-scope rows (embeddings %s)%n",
                    r.examples(),
                    r.labels(),
                    r.oosExamples(),
                    router.embeddingModel());
            o.printf(
                    Locale.ROOT,
                    "held-out accuracy %.4f, calibration temperature %.3f%n",
                    r.holdOutAccuracy(),
                    r.temperature());
            o.printf(Locale.ROOT, "none-of-these below confidence %.4f (%s)%n", r.threshold(), r.thresholdRule());
            o.printf(
                    Locale.ROOT,
                    "none-of-these when the nearest training message is less similar than %.4f"
                            + " (0.2nd percentile of held-out messages)%n",
                    r.minSimilarity());
            o.printf(
                    Locale.ROOT,
                    "shortcut (n-gram view alone, no embedding) from n-gram confidence %.4f: %.1f %% of held-out"
                            + " messages%n",
                    r.shortcut(),
                    100 * r.shortcutShare());
            o.printf(Locale.ROOT, "saved %s in %.1f s%n", out, r.trainingMillis() / 1000.0);
        }
    }

    @Command(
            name = "eval",
            mixinStandardHelpOptions = true,
            description = "Score a saved router on labelled rows; the last line is machine-readable.")
    static final class Eval implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--model",
                required = true,
                paramLabel = "FILE",
                description = "A router saved by router train.")
        Path model;

        @Option(
                names = "--data",
                required = true,
                paramLabel = "CSV",
                description = "Test rows: text,label with a header.")
        Path data;

        @Option(
                names = "--oos-label",
                defaultValue = TrainingOptions.DEFAULT_OOS_LABEL,
                paramLabel = "LABEL",
                description = "Label of out-of-scope rows (default: ${DEFAULT-VALUE}).")
        String oosLabel;

        @Option(
                names = "--shortcut",
                description = "Answer from the n-gram view alone, without embedding the message, when it is"
                        + " confident enough (what the support desk does; see docs/ROUTER.md).")
        boolean shortcut;

        @Override
        public void run() {
            List<LabelledExample> examples = LabelledCsv.read(data);
            // No embedding cache: every timed call embeds its message, as a new message would be.
            IntentRouter router = IntentRouter.load(model, InProcessEmbeddingService.bgeSmallEnV15Quantized(0));
            RouterEvaluation e =
                    RouterEvaluation.evaluate(shortcut ? router::classifyWithShortcut : router, examples, oosLabel);
            PrintWriter o = spec.commandLine().getOut();
            o.printf(
                    Locale.ROOT,
                    "rows %d (%d out-of-scope), router %s: %d labels, threshold %.4f%n",
                    e.rows(),
                    e.oosRows(),
                    model,
                    router.labels().size(),
                    router.threshold());
            if (shortcut) {
                o.printf(
                        Locale.ROOT,
                        "shortcut: the n-gram view alone answers from confidence %.4f%n",
                        router.shortcut());
            }
            o.printf(Locale.ROOT, "accuracy           %.4f%n", e.accuracy());
            o.printf(
                    Locale.ROOT,
                    "accuracy on in-scope rows without the threshold %s%n",
                    orNa(e.accuracyWithoutRejection()));
            o.printf(Locale.ROOT, "macro-F1           %.4f%n", e.macroF1());
            o.printf(Locale.ROOT, "out-of-scope prec. %s%n", orNa(e.oosPrecision()));
            o.printf(Locale.ROOT, "out-of-scope rec.  %s%n", orNa(e.oosRecall()));
            o.printf(
                    Locale.ROOT,
                    "latency per message p50 %.3f ms, p99 %.3f ms (after %d warm-up calls)%n",
                    e.p50Millis(),
                    e.p99Millis(),
                    RouterEvaluation.WARM_UP_CALLS);
            o.println(e.summaryLine());
        }

        private static String orNa(double v) {
            return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
        }
    }
}
