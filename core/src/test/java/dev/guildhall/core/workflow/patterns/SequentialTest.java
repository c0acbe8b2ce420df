package dev.guildhall.core.workflow.patterns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.RunResult;
import dev.guildhall.core.workflow.StartRequest;
import dev.guildhall.core.workflow.StateKey;
import dev.guildhall.core.workflow.Step;
import dev.guildhall.core.workflow.Update;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.WorkflowEngine;
import dev.guildhall.core.workflow.WorkflowException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequentialTest {
    static final StateKey<List<String>> TRAIL = StateKey.list("trail", String.class);

    static Step mark(String name) {
        return Step.of(s -> Update.of(TRAIL, List.of(name)));
    }

    @Test
    void runs_each_step_after_the_steps_it_needs_keeping_declaration_order_otherwise() {
        Sequential.Builder seq = Sequential.builder("onboard")
                .step("report", mark("report"), "score", "fetch")
                .step("fetch", mark("fetch"))
                .step("audit", mark("audit"))
                .step("score", mark("score"), "enrich")
                .step("enrich", mark("enrich"), "fetch");

        assertThat(seq.order()).containsExactly("fetch", "audit", "enrich", "score", "report");

        try (WorkflowEngine engine = WorkflowEngine.builder().build()) {
            Workflow wf = seq.build();
            RunResult r = engine.run(wf, StartRequest.of(WorkspaceId.of("w"), Json.object()), Duration.ofSeconds(5));
            assertThat(r.state().get(TRAIL)).containsExactly("fetch", "audit", "enrich", "score", "report");
        }
    }

    @Test
    void rejects_a_dependency_on_an_unknown_step() {
        assertThatThrownBy(() ->
                        Sequential.builder("x").step("a", mark("a"), "ghost").build())
                .isInstanceOf(WorkflowException.class)
                .hasMessage("step \"a\" needs unknown step \"ghost\"");
    }

    @Test
    void rejects_a_dependency_cycle_naming_its_steps() {
        assertThatThrownBy(() -> Sequential.builder("x")
                        .step("a", mark("a"))
                        .step("b", mark("b"), "c")
                        .step("c", mark("c"), "b")
                        .build())
                .isInstanceOf(WorkflowException.class)
                .hasMessage("steps [b, c] depend on each other in a cycle");
    }
}
