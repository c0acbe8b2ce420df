package dev.guildhall.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.json.Json;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** A run's result does not depend on which parallel branch happens to finish first. */
class DeterminismTest {
    static final StateKey<List<String>> TRAIL = StateKey.list("trail", String.class);
    static final StateKey<String> LAST = StateKey.of("last", String.class);

    static Step jittery(String name) {
        return ctx -> {
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(0, 2_000_000));
            return StepOutcome.completed(Update.of(TRAIL, List.of(name)).and(LAST, name));
        };
    }

    @Test
    void parallel_branches_finishing_in_any_order_give_the_same_final_state_every_time() {
        Workflow wf = Workflow.builder("race")
                .keys(TRAIL, LAST)
                .step("start", jittery("start"))
                .step("a", jittery("a"))
                .step("b", jittery("b"))
                .step("c", jittery("c"))
                .step("d", jittery("d"))
                .step("b2", jittery("b2"))
                .step("join", jittery("join"), StepOptions.builder().join(true).build())
                .edge("start", "a", "b", "c", "d")
                .edge("a", "join")
                .edge("b", "b2")
                .edge("b2", "join")
                .edge("c", "join")
                .edge("d", "join")
                .build();
        Set<String> outcomes = new HashSet<>();
        try (WorkflowEngine engine = WorkflowEngine.builder().build()) {
            for (int i = 0; i < 40; i++) {
                RunResult r =
                        engine.run(wf, StartRequest.of(WorkspaceId.of("w"), Json.object()), Duration.ofSeconds(10));
                outcomes.add(r.state().toJson().toString());
            }
        }
        assertThat(outcomes)
                .containsExactly("{\"trail\":[\"start\",\"a\",\"b\",\"c\",\"d\",\"b2\",\"join\"],\"last\":\"join\"}");
    }
}
