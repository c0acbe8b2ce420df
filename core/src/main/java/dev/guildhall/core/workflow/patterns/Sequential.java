package dev.guildhall.core.workflow.patterns;

import dev.guildhall.core.Checks;
import dev.guildhall.core.workflow.Step;
import dev.guildhall.core.workflow.StepOptions;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.WorkflowException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Steps that run one after another, each after the steps it declares it needs. The order is the
 * declaration order wherever dependencies allow, so adding a dependency never reshuffles
 * unrelated steps.
 *
 * <pre>{@code
 * Workflow wf = Sequential.builder("onboard")
 *     .step("fetch", fetch)
 *     .step("score", score, "fetch", "enrich")
 *     .step("enrich", enrich, "fetch")
 *     .build();   // runs fetch, enrich, score
 * }</pre>
 */
public final class Sequential {
    private Sequential() {}

    public static Builder builder(String workflowId) {
        return new Builder(workflowId);
    }

    private record Declared(String id, Step step, StepOptions options, List<String> needs) {}

    public static final class Builder {
        private final String workflowId;
        private final Map<String, Declared> steps = new LinkedHashMap<>();

        private Builder(String workflowId) {
            this.workflowId = Checks.notBlank(workflowId, "workflowId");
        }

        public Builder step(String id, Step step, String... needs) {
            return step(id, step, StepOptions.DEFAULTS, needs);
        }

        public Builder step(String id, Step step, StepOptions options, String... needs) {
            if (steps.putIfAbsent(id, new Declared(id, step, options, List.of(needs))) != null) {
                throw new WorkflowException("sequence " + workflowId + " declares step \"" + id + "\" twice");
            }
            return this;
        }

        /**
         * The run order.
         *
         * @throws WorkflowException for a dependency on an unknown step or a cycle, naming them
         */
        public List<String> order() {
            for (Declared d : steps.values()) {
                for (String need : d.needs()) {
                    if (!steps.containsKey(need)) {
                        throw new WorkflowException("step \"%s\" needs unknown step \"%s\"".formatted(d.id(), need));
                    }
                }
            }
            List<String> order = new ArrayList<>();
            Set<String> done = new LinkedHashSet<>();
            while (done.size() < steps.size()) {
                Declared next = steps.values().stream()
                        .filter(d -> !done.contains(d.id()) && done.containsAll(d.needs()))
                        .findFirst()
                        .orElseThrow(() -> new WorkflowException(
                                "steps " + cycleAmong(done) + " depend on each other in a cycle"));
                done.add(next.id());
                order.add(next.id());
            }
            return order;
        }

        private List<String> cycleAmong(Set<String> done) {
            return steps.keySet().stream().filter(id -> !done.contains(id)).toList();
        }

        /** Adds the steps to {@code builder}, chained in order; returns the last step's id. */
        public String addTo(Workflow.Builder builder) {
            List<String> order = order();
            for (String id : order) {
                Declared d = steps.get(id);
                builder.step(id, d.step(), d.options());
            }
            builder.chain(order.toArray(String[]::new));
            return order.get(order.size() - 1);
        }

        public Workflow build() {
            Workflow.Builder builder = Workflow.builder(workflowId);
            String first = order().get(0);
            addTo(builder);
            return builder.start(first).build();
        }
    }
}
