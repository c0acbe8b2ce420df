package dev.guildhall.core.workflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrozenMapTest {

    @Test
    void equals_and_hashes_like_any_map_with_the_same_entries() {
        FrozenMap<String, Integer> m = FrozenMap.copyOf(Map.of("a", 1, "b", 2));

        assertThat(m).isEqualTo(Map.of("a", 1, "b", 2)).hasSize(2);
        assertThat(m.hashCode()).isEqualTo(Map.of("a", 1, "b", 2).hashCode());
        assertThat(Map.of("a", 1, "b", 2)).isEqualTo(m);
        assertThat(m.get("a")).isEqualTo(1);
        assertThat(m.get("z")).isNull();
        assertThat(m.getOrDefault("z", 0)).isZero();
        assertThat(m.containsKey("b")).isTrue();
        assertThat(m.containsKey(null)).isFalse();
    }

    @Test
    void with_all_adds_and_replaces_without_changing_the_original() {
        FrozenMap<String, Integer> before = FrozenMap.copyOf(Map.of("a", 1));

        FrozenMap<String, Integer> after = before.withAll(List.of(Map.entry("a", 2), Map.entry("b", 1)));

        assertThat(before).isEqualTo(Map.of("a", 1));
        assertThat(after).isEqualTo(Map.of("a", 2, "b", 1));
        assertThat(after.withAll(List.of())).isSameAs(after);
        assertThat(FrozenMap.copyOf(after)).isSameAs(after);
    }

    @Test
    void grows_past_many_entries_and_iterates_each_once() {
        FrozenMap<String, Integer> m = FrozenMap.copyOf(Map.of());
        Map<String, Integer> expected = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            m = m.withAll(List.of(Map.entry("n" + i, i)));
            expected.put("n" + i, i);
        }
        m = m.withAll(List.of(Map.entry("n7", -7), Map.entry("x", 1), Map.entry("y", 2)));
        expected.put("n7", -7);
        expected.put("x", 1);
        expected.put("y", 2);

        assertThat(m).isEqualTo(expected).hasSize(202);
        assertThat(m.entrySet()).hasSize(202).containsExactlyInAnyOrderElementsOf(expected.entrySet());
    }

    @Test
    void rejects_nulls_and_writes_like_map_copy_of() {
        Map<String, Integer> withNull = new HashMap<>();
        withNull.put("a", null);

        assertThatThrownBy(() -> FrozenMap.copyOf(withNull)).isInstanceOf(NullPointerException.class);
        FrozenMap<String, Integer> m = FrozenMap.copyOf(Map.of("a", 1));
        assertThatThrownBy(() -> m.put("b", 2)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.entrySet().iterator().remove()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.entrySet().iterator().next().setValue(3))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
