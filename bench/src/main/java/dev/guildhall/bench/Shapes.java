package dev.guildhall.bench;

import java.util.Map;

/**
 * The graphs both frameworks run, and how many steps one run of each takes. A benchmark
 * operation is one run to completion, so steps per second is operations per second times
 * {@link #stepsPerRun(String)}.
 *
 * <p>Both benchmark classes fork with the same fixed heap and collector ({@code -Xms3g -Xmx3g
 * -XX:+UseG1GC}): a JVM limited to one CPU by {@code taskset} would otherwise pick the serial
 * collector, and the in-memory run store keeps the last snapshot of every run of a trial, so a
 * growing heap would add full collections to the figures.
 */
public final class Shapes {
    /** Nodes in the sequential chain. */
    public static final int CHAIN_LENGTH = 10;

    /** Parallel branches between the fan-out's start node and its join. */
    public static final int FAN_OUT_WIDTH = 32;

    /** One run of the chain executes every node once. */
    public static final int CHAIN_STEPS = CHAIN_LENGTH;

    /** One run of the fan-out executes start, every branch and the join once. */
    public static final int FAN_OUT_STEPS = FAN_OUT_WIDTH + 2;

    /** Steps per run, by benchmark method name; both benchmark classes use the same names. */
    private static final Map<String, Integer> STEPS_PER_RUN = Map.of(
            "chain", CHAIN_STEPS,
            "chainCallerRuns", CHAIN_STEPS,
            "chainWrite", CHAIN_STEPS,
            "chainAgent", CHAIN_STEPS,
            "fanOut", FAN_OUT_STEPS,
            "fanOutExecutor", FAN_OUT_STEPS);

    private Shapes() {}

    /**
     * @throws IllegalArgumentException for a benchmark this table does not know
     */
    public static int stepsPerRun(String benchmark) {
        Integer steps = STEPS_PER_RUN.get(benchmark);
        if (steps == null) {
            throw new IllegalArgumentException(
                    "benchmark must be one of " + STEPS_PER_RUN.keySet() + ", was " + benchmark);
        }
        return steps;
    }

    /** Node ids {@code prefix0 .. prefix(n-1)}. */
    static String[] ids(String prefix, int n) {
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = prefix + i;
        }
        return ids;
    }
}
