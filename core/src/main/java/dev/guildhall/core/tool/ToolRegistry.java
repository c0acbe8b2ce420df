package dev.guildhall.core.tool;

import dev.guildhall.core.NotFoundException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The tools available to agents, by name. Immutable once built, so thread-safe. */
public final class ToolRegistry {
    private static final ToolRegistry EMPTY = new ToolRegistry(Map.of());
    private final Map<String, Tool> tools;

    private ToolRegistry(Map<String, Tool> tools) {
        this.tools = tools;
    }

    public static ToolRegistry empty() {
        return EMPTY;
    }

    /** @throws IllegalArgumentException when two tools share a name */
    public static ToolRegistry of(Collection<? extends Tool> tools) {
        Map<String, Tool> byName = new LinkedHashMap<>();
        for (Tool t : tools) {
            if (byName.putIfAbsent(t.name(), t) != null) {
                throw new IllegalArgumentException("tool names must be unique, was \"" + t.name() + "\" twice");
            }
        }
        return new ToolRegistry(Map.copyOf(byName));
    }

    public Optional<Tool> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    public Tool get(String name) {
        return find(name).orElseThrow(() -> new NotFoundException("Tool", name));
    }

    public Set<String> names() {
        return tools.keySet();
    }
}
