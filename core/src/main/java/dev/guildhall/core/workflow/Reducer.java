package dev.guildhall.core.workflow;

import java.util.ArrayList;
import java.util.List;

/**
 * How a write to a state key combines with the value already there. Parallel branches that write
 * the same key are combined in a fixed order (the order of the branches in the graph), so the
 * result does not depend on which branch finished first.
 */
@FunctionalInterface
public interface Reducer<T> {
    /** @param current the value before the write, or null when the key is unset */
    T reduce(T current, T written);

    /** The written value replaces the current one. */
    static <T> Reducer<T> replace() {
        return (current, written) -> written;
    }

    /** The written list is appended to the current one. */
    static <E> Reducer<List<E>> append() {
        return (current, written) -> {
            if (current == null || current.isEmpty()) {
                return List.copyOf(written);
            }
            List<E> all = new ArrayList<>(current.size() + written.size());
            all.addAll(current);
            all.addAll(written);
            return List.copyOf(all);
        };
    }
}
