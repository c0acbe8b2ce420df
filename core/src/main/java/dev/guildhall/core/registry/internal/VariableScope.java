package dev.guildhall.core.registry.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The template variables a definition may use: its declared inputs and the built-ins the runtime
 * always supplies. A dotted name is supplied when it is a declared input, lies inside one
 * ({@code customer.plan} inside {@code customer}) or contains one ({@code customer} as a section
 * around {@code customer.plan}).
 */
public final class VariableScope {
    /** Always supplied by {@link RenderContext}, whatever the input. */
    public static final List<String> BUILT_INS =
            List.of("run.id", "workspace", "agent.id", "agent.name", "today", "conversation");

    /** First path segments that inputs may not use, because built-ins own them. */
    public static final Set<String> BUILT_IN_ROOTS = Set.of("run", "workspace", "agent", "today", "conversation");

    private static final Set<String> MUSTACHE_SPECIALS = Set.of(".", "this", "-first", "-last", "-index");

    private final Set<String> inputs;

    public VariableScope(Set<String> inputs) {
        this.inputs = new LinkedHashSet<>(inputs);
    }

    public boolean supplies(String name) {
        if (MUSTACHE_SPECIALS.contains(name)) {
            return true;
        }
        return covers(BUILT_INS, name) || covers(inputs, name);
    }

    private static boolean covers(Iterable<String> declared, String name) {
        for (String d : declared) {
            if (d.equals(name) || name.startsWith(d + ".") || d.startsWith(name + ".")) {
                return true;
            }
        }
        return false;
    }

    /** What is available, for the message when a variable is not. */
    public String describe() {
        return "declared inputs: " + (inputs.isEmpty() ? "none" : String.join(", ", inputs)) + "; built-ins: "
                + String.join(", ", BUILT_INS);
    }
}
