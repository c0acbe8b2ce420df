package dev.guildhall.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a JMH result file ({@code -rf json}) and prints, per graph, Guildhall's and LangGraph4j's
 * steps per second and their ratio. Each figure is the median of the measured iterations (not
 * JMH's mean), which the noise of a shared machine moves less. Steps per second is runs per
 * second times {@link Shapes#stepsPerRun(String)}.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.guildhall.bench.BenchSummary result.json}
 */
public final class BenchSummary {
    private static final String GUILDHALL = GuildhallBenchmark.class.getName() + ".";
    private static final String LANGGRAPH4J = LangGraph4jBenchmark.class.getName() + ".";

    /** One line of the table: a graph and which benchmark of each framework measures it. */
    private record Row(String graph, String guildhall, String langGraph4j) {}

    private static final List<Row> ROWS = List.of(
            new Row("chain of 10, no-op steps", "chain", "chain"),
            new Row("chain of 10, each writes a key", "chainWrite", "chainWrite"),
            new Row("chain of 10, no-op agents", "chainAgent", "chainAgent"),
            new Row("fan-out 32 + join (LG4J default)", "fanOut", "fanOut"),
            new Row("fan-out 32 + join (LG4J executor)", "fanOut", "fanOutExecutor"),
            new Row("chain of 10, no-op, caller-runs (*)", "chainCallerRuns", "chain"));

    /** Runs per second of one benchmark, and how many measured iterations that median is of. */
    record Rate(double runsPerSecond, int iterations, int threads) {}

    private BenchSummary() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: BenchSummary <jmh-result.json>, was " + List.of(args));
        }
        // A command-line tool: its table is its output.
        print(read(Path.of(args[0])), System.out);
    }

    /** Runs per second by fully qualified benchmark name. */
    static Map<String, Rate> read(Path jmhJson) throws IOException {
        JsonNode results = new ObjectMapper().readTree(Files.readString(jmhJson));
        Map<String, Rate> rates = new HashMap<>();
        for (JsonNode r : results) {
            JsonNode metric = r.path("primaryMetric");
            List<Double> samples = new ArrayList<>();
            for (JsonNode fork : metric.path("rawData")) {
                fork.forEach(v -> samples.add(v.asDouble()));
            }
            if (samples.isEmpty()) {
                samples.add(metric.path("score").asDouble());
            }
            double perSecond =
                    toRunsPerSecond(median(samples), metric.path("scoreUnit").asText());
            rates.put(
                    r.path("benchmark").asText(),
                    new Rate(perSecond, samples.size(), r.path("threads").asInt(1)));
        }
        return rates;
    }

    static void print(Map<String, Rate> rates, PrintStream out) {
        String format = "%-36s %18s %18s %9s%n";
        out.printf(Locale.ROOT, format, "graph", "Guildhall steps/s", "LangGraph4j st/s", "ratio");
        out.printf(Locale.ROOT, format, "-".repeat(36), "-".repeat(18), "-".repeat(18), "-".repeat(9));
        for (Row row : ROWS) {
            Rate g = rates.get(GUILDHALL + row.guildhall());
            Rate l = rates.get(LANGGRAPH4J + row.langGraph4j());
            if (g == null && l == null) {
                continue;
            }
            double gSteps = g == null ? Double.NaN : g.runsPerSecond() * Shapes.stepsPerRun(row.guildhall());
            double lSteps = l == null ? Double.NaN : l.runsPerSecond() * Shapes.stepsPerRun(row.langGraph4j());
            out.printf(
                    Locale.ROOT,
                    format,
                    row.graph(),
                    steps(gSteps),
                    steps(lSteps),
                    g == null || l == null ? "-" : String.format(Locale.ROOT, "%.1fx", gSteps / lSteps));
        }
        out.println("steps/s = runs/s (median of measured iterations) x steps per run: chain 10, fan-out 34.");
        out.println("ratio = Guildhall steps/s / LangGraph4j steps/s; above 1 means Guildhall is faster.");
        if (rates.containsKey(GUILDHALL + "chainCallerRuns")) {
            out.println("(*) diagnostic: Guildhall with an executor that runs tasks in the caller, i.e. without the");
            out.println("    hand-off to a driver thread that every run() makes; not a supported configuration.");
        }
    }

    private static String steps(double perSecond) {
        return Double.isNaN(perSecond) ? "-" : String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Converts a throughput ({@code ops/s}) or an average time ({@code us/op}) to runs per second. */
    static double toRunsPerSecond(double score, String unit) {
        String[] parts = unit.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("unit must be ops/<time> or <time>/op, was " + unit);
        }
        if (parts[0].equals("ops")) {
            return score / seconds(parts[1]);
        }
        return 1 / (score * seconds(parts[0]));
    }

    private static double seconds(String unit) {
        return switch (unit) {
            case "s" -> 1;
            case "ms" -> 1e-3;
            case "us" -> 1e-6;
            case "ns" -> 1e-9;
            case "min" -> 60;
            default -> throw new IllegalArgumentException("time unit must be s, ms, us, ns or min, was " + unit);
        };
    }
}
