package dev.guildhall.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkflowRegistryTest {
    private static final Workflow ONE =
            Workflow.builder("one").step("a", Step.of(s -> Update.none())).build();

    @Test
    void a_miss_asks_the_fallback_once_and_keeps_what_it_found() {
        List<String> asked = new ArrayList<>();
        WorkflowRegistry registry = new WorkflowRegistry(id -> {
            asked.add(id);
            return id.equals("ws/one@1") ? Optional.of(ONE.withId(id)) : Optional.empty();
        });
        assertThat(registry.find("ws/one@1")).map(Workflow::id).contains("ws/one@1");
        assertThat(registry.find("ws/one@1")).isPresent();
        assertThat(registry.find("missing")).isEmpty();
        assertThat(registry.find("missing")).isEmpty();
        assertThat(asked).containsExactly("ws/one@1", "missing", "missing");
    }

    @Test
    void with_id_keeps_the_graph_under_another_id() {
        Workflow renamed = ONE.withId("acme/one@2");
        assertThat(renamed.id()).isEqualTo("acme/one@2");
        assertThat(renamed.start()).isEqualTo(ONE.start());
        assertThat(renamed.nodes()).isEqualTo(ONE.nodes());
        assertThat(ONE.id()).isEqualTo("one");
    }
}
