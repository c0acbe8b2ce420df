package dev.guildhall.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.json.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A run's shared state: an immutable map from key names to values. Steps read it and return an
 * {@link Update}; the engine applies updates with each key's reducer and checkpoints the result.
 */
public final class State {
    private static final State EMPTY = new State(Map.of(), null);
    private final Map<String, Object> values;
    /**
     * Each value as JSON, converted once and kept: agent steps read the state as JSON on every
     * step, and converting records afresh each time cost more than the rest of the step.
     */
    private volatile Map<String, JsonNode> trees;

    private State(Map<String, Object> values, Map<String, JsonNode> inherited) {
        this.values = values;
        this.trees = inherited == null || inherited.isEmpty()
                ? null
                : new java.util.concurrent.ConcurrentHashMap<>(inherited);
    }

    private State(Map<String, Object> values) {
        this(values, null);
    }

    public static State empty() {
        return EMPTY;
    }

    /** A state holding the fields of a JSON object, each under its own name. */
    public static State fromJson(JsonNode object) {
        if (object == null || object.isNull() || object.isMissingNode()) {
            return EMPTY;
        }
        if (!object.isObject()) {
            throw new IllegalArgumentException("state must be a JSON object, was " + object.getNodeType());
        }
        Map<String, Object> values = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue()));
        return new State(Collections.unmodifiableMap(values));
    }

    public static <T> State of(StateKey<T> key, T value) {
        return EMPTY.with(key, value);
    }

    public <T> Optional<T> find(StateKey<T> key) {
        return Optional.ofNullable(key.coerce(values.get(key.name())));
    }

    /** @throws IllegalStateException when the key is unset */
    public <T> T get(StateKey<T> key) {
        Object raw = values.get(key.name());
        if (raw == null) {
            throw new IllegalStateException("state key '" + key.name() + "' is not set; set keys: " + values.keySet());
        }
        return key.coerce(raw);
    }

    public <T> T getOrDefault(StateKey<T> key, T fallback) {
        return find(key).orElse(fallback);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public Set<String> names() {
        return values.keySet();
    }

    /** The raw value under {@code name}: a Java object written by a step, or JSON read from a checkpoint. */
    public Object raw(String name) {
        return values.get(name);
    }

    /** A copy with {@code key} set to {@code value}, ignoring the reducer. */
    public <T> State with(StateKey<T> key, T value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(key.name(), value);
        return new State(Collections.unmodifiableMap(copy));
    }

    /** Applies one update with each key's reducer. */
    public State apply(Update update) {
        if (update.isEmpty()) {
            return this;
        }
        Map<String, Object> copy = new LinkedHashMap<>(values);
        update.applyTo(copy);
        Map<String, JsonNode> converted = trees;
        Map<String, JsonNode> unchanged = null;
        if (converted != null && !converted.isEmpty()) {
            unchanged = new java.util.HashMap<>(converted);
            update.keyNames().forEach(unchanged::remove);
        }
        return new State(Collections.unmodifiableMap(copy), unchanged);
    }

    /**
     * The whole state as a JSON object, for checkpoints, templates and agent inputs. The object is
     * new, but the values inside it are shared with this state: read them, and copy before changing.
     */
    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        values.forEach((k, v) -> node.set(k, tree(k, v)));
        return node;
    }

    private JsonNode tree(String name, Object value) {
        if (value instanceof JsonNode json) {
            return json;
        }
        Map<String, JsonNode> converted = trees;
        if (converted == null) {
            synchronized (this) {
                converted = trees;
                if (converted == null) {
                    converted = new java.util.concurrent.ConcurrentHashMap<>();
                    trees = converted;
                }
            }
        }
        JsonNode cached = converted.get(name);
        if (cached == null) {
            cached = value instanceof dev.guildhall.core.json.JsonValue v ? v.toJson() : Json.toTree(value);
            converted.put(name, cached);
        }
        return cached;
    }

    /** The value at a dotted path such as {@code classify.output.label}, as JSON; missing when absent. */
    public JsonNode at(String dottedPath) {
        String[] parts = dottedPath.split("\\.");
        Object root = values.get(parts[0]);
        JsonNode node =
                root == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : tree(parts[0], root);
        for (int i = 1; i < parts.length; i++) {
            node = node.path(parts[i]);
        }
        return node;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof State s && toJson().equals(s.toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return "State" + values;
    }
}
