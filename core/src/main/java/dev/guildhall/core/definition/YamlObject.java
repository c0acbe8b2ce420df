package dev.guildhall.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.util.Durations;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed, line-aware access to one YAML mapping of a definition. Every accessor reports a wrong
 * value to {@link Problems} with the field's dotted path and line and returns null, so the parser
 * carries on and finds the next problem too.
 */
public final class YamlObject {
    private static final int MAX_DEPTH = 64;

    private final MappingNode node;
    private final String path;
    private final Problems problems;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

    private YamlObject(MappingNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        for (NodeTuple tuple : node.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                problems.add(tuple.getKeyNode(), path.isEmpty() ? null : path, "field names must be plain text");
                continue;
            }
            NodeTuple first = entries.putIfAbsent(key.getValue(), tuple);
            if (first != null) {
                problems.add(
                        key,
                        field(key.getValue()),
                        "is defined twice (first on line " + Problems.lineOf(first.getKeyNode()) + ")");
            }
        }
    }

    /** The mapping at {@code node}, or null (with a problem reported) when it is something else. */
    public static @Nullable YamlObject of(Node node, String path, Problems problems) {
        if (node instanceof MappingNode mapping) {
            return new YamlObject(mapping, path, problems);
        }
        problems.add(node, path.isEmpty() ? null : path, "must be a mapping of fields, was " + describe(node));
        return null;
    }

    public Problems problems() {
        return problems;
    }

    public String path() {
        return path;
    }

    public int line() {
        return Problems.lineOf(node);
    }

    /** The dotted path of {@code key} in this mapping, for messages. */
    public String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    public boolean has(String key) {
        return node(key) != null;
    }

    /** The value of {@code key}, or null when absent or written as YAML null ({@code key:} or {@code ~}). */
    public @Nullable Node node(String key) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null || isNull(tuple.getValueNode())) {
            return null;
        }
        return tuple.getValueNode();
    }

    /** The line of {@code key}'s value, or of this mapping when the key is absent. */
    public int line(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? line() : Problems.lineOf(tuple.getValueNode());
    }

    /** Reports every key not in {@code known}, suggesting the nearest known name for a likely typo. */
    public void rejectUnknown(Collection<String> known) {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (!known.contains(e.getKey())) {
                String near = nearest(e.getKey(), known);
                problems.add(
                        e.getValue().getKeyNode(),
                        field(e.getKey()),
                        near != null
                                ? "unknown field; did you mean '" + near + "'?"
                                : "unknown field; known fields are " + String.join(", ", known));
            }
        }
    }

    public void required(String key) {
        if (!has(key)) {
            problems.add(line(), field(key), "is required");
        }
    }

    /** A scalar's text; any scalar (number, boolean) counts, as YAML users expect. */
    public @Nullable String text(String key) {
        Node value = node(key);
        if (value == null) {
            return null;
        }
        if (value instanceof ScalarNode s) {
            return s.getValue();
        }
        problems.add(value, field(key), "must be text, was " + describe(value));
        return null;
    }

    public @Nullable ScalarNode scalar(String key) {
        Node value = node(key);
        if (value == null) {
            return null;
        }
        if (value instanceof ScalarNode s) {
            return s;
        }
        problems.add(value, field(key), "must be text, was " + describe(value));
        return null;
    }

    public @Nullable Integer integer(String key, int min, int max) {
        Node value = node(key);
        if (value == null) {
            return null;
        }
        if (value instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
            try {
                int n = Integer.parseInt(s.getValue().replace("_", ""));
                if (n >= min && n <= max) {
                    return n;
                }
                problems.add(value, field(key), "must be between %d and %d, was %d".formatted(min, max, n));
                return null;
            } catch (NumberFormatException e) {
                // Falls through to the generic message: hex, octal and huge numbers are not what anyone means here.
            }
        }
        problems.add(
                value,
                field(key),
                "must be a whole number between %d and %d, was %s".formatted(min, max, describe(value)));
        return null;
    }

    public @Nullable Double number(String key, double min, double max) {
        Node value = node(key);
        if (value == null) {
            return null;
        }
        Double n = numberOf(value);
        if (n == null) {
            problems.add(value, field(key), "must be a number, was " + describe(value));
            return null;
        }
        if (!(n >= min && n <= max)) {
            problems.add(value, field(key), "must be between %s and %s, was %s".formatted(min, max, n));
            return null;
        }
        return n;
    }

    public @Nullable Boolean bool(String key) {
        Node value = node(key);
        if (value == null) {
            return null;
        }
        if (value instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
            return toJson(s).asBoolean();
        }
        problems.add(value, field(key), "must be true or false, was " + describe(value));
        return null;
    }

    public @Nullable Duration duration(String key) {
        String text = text(key);
        if (text == null) {
            return null;
        }
        try {
            Duration d = Durations.parse(text);
            if (d.isNegative() || d.isZero()) {
                problems.add(line(key), field(key), "must be > 0, was " + text);
                return null;
            }
            return d;
        } catch (IllegalArgumentException e) {
            problems.add(line(key), field(key), e.getMessage());
            return null;
        }
    }

    public @Nullable YamlObject object(String key) {
        Node value = node(key);
        return value == null ? null : of(value, field(key), problems);
    }

    /** A list of scalars ({@code [a, b]}); null when absent. Non-scalar items are reported and skipped. */
    public @Nullable List<ScalarNode> scalars(String key) {
        Node value = node(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof SequenceNode seq)) {
            problems.add(value, field(key), "must be a list such as [a, b], was " + describe(value));
            return null;
        }
        List<ScalarNode> out = new ArrayList<>();
        List<Node> items = seq.getValue();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            if (item instanceof ScalarNode s && !isNull(s)) {
                out.add(s);
            } else {
                problems.add(item, field(key) + "[" + i + "]", "must be text, was " + describe(item));
            }
        }
        return out;
    }

    /** Whether {@code node} is YAML null: {@code ~}, {@code null} or nothing at all. */
    public static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    public static @Nullable Double numberOf(Node node) {
        if (node instanceof ScalarNode s
                && (s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.FLOAT))) {
            try {
                return Double.parseDouble(s.getValue().replace("_", ""));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** A short description of a node for messages: {@code "text"}, {@code a list}, {@code a mapping}. */
    public static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof ScalarNode s) {
            return isNull(s) ? "empty" : "\"" + s.getValue() + "\"";
        }
        return node.getNodeId().toString();
    }

    /** The YAML value as JSON, keeping YAML's types: numbers, booleans and null stay what they are. */
    public static JsonNode toJson(Node node) {
        return toJson(node, 0);
    }

    private static JsonNode toJson(Node node, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("nested more than " + MAX_DEPTH + " levels deep");
        }
        if (node instanceof MappingNode m) {
            ObjectNode o = f.objectNode();
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    o.set(k.getValue(), toJson(t.getValueNode(), depth + 1));
                }
            }
            return o;
        }
        if (node instanceof SequenceNode s) {
            ArrayNode a = f.arrayNode();
            s.getValue().forEach(item -> a.add(toJson(item, depth + 1)));
            return a;
        }
        ScalarNode s = (ScalarNode) node;
        String v = s.getValue();
        Tag tag = s.getTag();
        try {
            if (tag.equals(Tag.NULL)) {
                return f.nullNode();
            }
            if (tag.equals(Tag.BOOL)) {
                return f.booleanNode(Set.of("true", "yes", "on", "y").contains(v.toLowerCase(java.util.Locale.ROOT)));
            }
            if (tag.equals(Tag.INT)) {
                BigInteger n = new BigInteger(v.replace("_", ""));
                return n.bitLength() < 64 ? f.numberNode(n.longValue()) : f.numberNode(n);
            }
            if (tag.equals(Tag.FLOAT)) {
                return f.numberNode(Double.parseDouble(v.replace("_", "")));
            }
        } catch (NumberFormatException e) {
            // Unusual YAML 1.1 numerals (0x1f, 1:30, .inf) stay text rather than fail.
        }
        return f.textNode(v);
    }

    /** The known name within edit distance 2 of {@code name}, or null; for "did you mean" hints. */
    static @Nullable String nearest(String name, Collection<String> known) {
        return known.stream()
                .filter(k ->
                        distance(name.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT)) <= 2)
                .min(Comparator.comparingInt(k -> distance(name, k)))
                .orElse(null);
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
