package dev.guildhall.core.workflow;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.Checks;
import dev.guildhall.core.json.Json;
import java.util.List;

/**
 * A typed slot in a run's shared state. The key's Java type is how a checkpoint written as JSON
 * is read back, and its reducer is how concurrent writes combine.
 *
 * <pre>{@code
 * static final StateKey<String> MESSAGE = StateKey.of("message", String.class);
 * static final StateKey<List<String>> NOTES = StateKey.list("notes", String.class);
 * }</pre>
 */
public final class StateKey<T> {
    private final String name;
    private final JavaType type;
    private final Reducer<T> reducer;

    private StateKey(String name, JavaType type, Reducer<T> reducer) {
        this.name = Checks.notBlank(name, "name");
        this.type = Checks.notNull(type, "type");
        this.reducer = Checks.notNull(reducer, "reducer");
    }

    /** A key whose writes replace the previous value. */
    public static <T> StateKey<T> of(String name, Class<T> type) {
        return new StateKey<>(name, Json.mapper().constructType(type), Reducer.replace());
    }

    /** A key with a custom reducer. */
    public static <T> StateKey<T> of(String name, Class<T> type, Reducer<T> reducer) {
        return new StateKey<>(name, Json.mapper().constructType(type), reducer);
    }

    /** A list key whose writes are appended, so parallel branches can each add their part. */
    public static <E> StateKey<List<E>> list(String name, Class<E> elementType) {
        JavaType type = Json.mapper().getTypeFactory().constructCollectionType(List.class, elementType);
        return new StateKey<>(name, type, Reducer.append());
    }

    /** An untyped JSON key, as declarative workflows use. */
    public static StateKey<JsonNode> json(String name) {
        return of(name, JsonNode.class);
    }

    public String name() {
        return name;
    }

    public JavaType type() {
        return type;
    }

    public Reducer<T> reducer() {
        return reducer;
    }

    /** Converts a value read from a checkpoint (JSON) or written by a step into this key's type. */
    @SuppressWarnings("unchecked") // The JavaType is built from T, so the conversion yields a T.
    T coerce(Object value) {
        if (value == null || type.getRawClass().isInstance(value) && !type.isContainerType()) {
            return (T) value;
        }
        if (type.isContainerType()
                && !(value instanceof JsonNode)
                && type.getRawClass().isInstance(value)) {
            return (T) value;
        }
        return Json.mapper().convertValue(value, type);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateKey<?> k && k.name.equals(name) && k.type.equals(type);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "StateKey[" + name + ": " + type.toCanonical() + "]";
    }
}
