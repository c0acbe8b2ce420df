package dev.guildhall.core.definition;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.Node;

/** Collects the problems of one source so that a load reports all of them, not just the first. Not thread-safe. */
public final class Problems {
    private final String source;
    private final List<DefinitionError> errors = new ArrayList<>();

    public Problems(String source) {
        this.source = source;
    }

    public String source() {
        return source;
    }

    public void add(int line, @Nullable String field, String message) {
        errors.add(new DefinitionError(source, line, field, message));
    }

    public void add(Node node, @Nullable String field, String message) {
        add(lineOf(node), field, message);
    }

    public int count() {
        return errors.size();
    }

    public List<DefinitionError> errors() {
        return List.copyOf(errors);
    }

    /** The 1-based line where {@code node} starts; SnakeYAML marks are 0-based. */
    public static int lineOf(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
