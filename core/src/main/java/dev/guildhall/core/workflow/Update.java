package dev.guildhall.core.workflow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The writes one step makes to the shared state, applied in order with each key's reducer. */
public final class Update {
    private static final Update NONE = new Update(List.of());
    private final List<Write<?>> writes;

    private record Write<T>(StateKey<T> key, T value) {
        void applyTo(Map<String, Object> values) {
            T current = key.coerce(values.get(key.name()));
            values.put(key.name(), key.reducer().reduce(current, value));
        }
    }

    private Update(List<Write<?>> writes) {
        this.writes = writes;
    }

    public static Update none() {
        return NONE;
    }

    public static <T> Update of(StateKey<T> key, T value) {
        return NONE.and(key, value);
    }

    public <T> Update and(StateKey<T> key, T value) {
        List<Write<?>> copy = new ArrayList<>(writes.size() + 1);
        copy.addAll(writes);
        copy.add(new Write<>(key, value));
        return new Update(Collections.unmodifiableList(copy));
    }

    /** This update's writes followed by {@code other}'s. */
    public Update and(Update other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        List<Write<?>> copy = new ArrayList<>(writes);
        copy.addAll(other.writes);
        return new Update(Collections.unmodifiableList(copy));
    }

    public boolean isEmpty() {
        return writes.isEmpty();
    }

    public List<String> keyNames() {
        return writes.stream().map(w -> w.key().name()).toList();
    }

    void applyTo(Map<String, Object> values) {
        for (Write<?> w : writes) {
            w.applyTo(values);
        }
    }

    @Override
    public String toString() {
        return "Update" + writes;
    }
}
