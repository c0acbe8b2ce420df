package dev.guildhall.core.workflow.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An immutable map that is cheap to copy with a few entries changed: {@link #withAll} copies one
 * array, where a {@code HashMap} copy followed by {@code Map.copyOf} builds two maps. A run's visit
 * counts change every superstep and are checkpointed every superstep, which is what this is for.
 *
 * <p>Open addressing with linear probing in one array (key, value, key, value, ...) at most half
 * full. Like {@code Map.copyOf}, it rejects null keys and values. Equality and hash code follow the
 * {@link Map} contract, so it equals any map with the same entries. Immutable and thread-safe.
 */
public final class FrozenMap<K, V> extends AbstractMap<K, V> {
    private static final int MIN_SLOTS = 4;

    private final Object[] table;
    private final int size;

    private FrozenMap(Object[] table, int size) {
        this.table = table;
        this.size = size;
    }

    /** {@code map} itself when it is a FrozenMap, else a copy of it. */
    public static <K, V> FrozenMap<K, V> copyOf(Map<K, V> map) {
        if (map instanceof FrozenMap<K, V> frozen) {
            return frozen;
        }
        Object[] table = new Object[2 * slotsFor(map.size())];
        map.forEach((k, v) -> put(table, k, v));
        return new FrozenMap<>(table, map.size());
    }

    /** This map with each of {@code changes} put in order; {@code this} when there are none. */
    public FrozenMap<K, V> withAll(List<? extends Map.Entry<? extends K, ? extends V>> changes) {
        if (changes.isEmpty()) {
            return this;
        }
        int slots = slotsFor(size + changes.size());
        Object[] copy;
        if (slots == table.length / 2) {
            copy = table.clone();
        } else {
            copy = new Object[2 * slots];
            for (int i = 0; i < table.length; i += 2) {
                if (table[i] != null) {
                    put(copy, table[i], table[i + 1]);
                }
            }
        }
        int newSize = size;
        for (Map.Entry<? extends K, ? extends V> change : changes) {
            if (put(copy, change.getKey(), change.getValue())) {
                newSize++;
            }
        }
        return new FrozenMap<>(copy, newSize);
    }

    /** Slots for {@code entries}: a power of two at least twice as many, so probes stay short and end. */
    private static int slotsFor(int entries) {
        int slots = MIN_SLOTS;
        while (slots < 2 * entries) {
            slots <<= 1;
        }
        return slots;
    }

    /** Puts into a table with room to spare; returns whether the key is new. */
    private static boolean put(Object[] table, Object key, Object value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        int i = indexOf(table, key);
        boolean added = table[i] == null;
        table[i] = key;
        table[i + 1] = value;
        return added;
    }

    /** The index of {@code key} in {@code table}, or of the empty slot where it would go. */
    private static int indexOf(Object[] table, Object key) {
        int mask = table.length / 2 - 1;
        int h = key.hashCode();
        int slot = (h ^ (h >>> 16)) & mask;
        while (true) {
            Object k = table[2 * slot];
            if (k == null || k.equals(key)) {
                return 2 * slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean containsKey(@Nullable Object key) {
        return key != null && table[indexOf(table, key)] != null;
    }

    @Override
    @SuppressWarnings("unchecked") // Values are only ever put as V.
    public @Nullable V get(@Nullable Object key) {
        if (key == null) {
            return null;
        }
        return (V) table[indexOf(table, key) + 1];
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Map.Entry<K, V>> iterator() {
                return new Iterator<>() {
                    private int next = advance(0);

                    private int advance(int from) {
                        int i = from;
                        while (i < table.length && table[i] == null) {
                            i += 2;
                        }
                        return i;
                    }

                    @Override
                    public boolean hasNext() {
                        return next < table.length;
                    }

                    @Override
                    @SuppressWarnings("unchecked") // Keys and values are only ever put as K and V.
                    public Map.Entry<K, V> next() {
                        if (next >= table.length) {
                            throw new NoSuchElementException();
                        }
                        Map.Entry<K, V> e = Map.entry((K) table[next], (V) table[next + 1]);
                        next = advance(next + 2);
                        return e;
                    }
                };
            }
        };
    }
}
