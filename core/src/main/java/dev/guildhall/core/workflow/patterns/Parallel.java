package dev.guildhall.core.workflow.patterns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.AgentId;
import dev.guildhall.core.Checks;
import dev.guildhall.core.NonRetryableException;
import dev.guildhall.core.RetryableException;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.Failure;
import dev.guildhall.core.workflow.StepContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

/**
 * Fan-out/fan-in: the same input goes to several agents at once (at most {@code maxConcurrency}
 * at a time), and an {@link Aggregation} turns their results into one. Branches that fail are
 * reported; the step fails only when fewer than {@code minSuccesses} branches succeeded.
 *
 * <p>The result's output is {@code {"aggregate": ..., "branches": [{"branch", "agent", "output",
 * "confidence"}], "failures": [{"branch", "error"}]}}, branches in declaration order.
 */
public final class Parallel extends PatternStep {
    private final List<Branch> branches;
    private final int maxConcurrency;
    private final int minSuccesses;
    private final Aggregation aggregation;

    /** One branch: a name, the agent it calls and how it shapes the shared input. */
    public record Branch(String name, AgentId agent, UnaryOperator<JsonNode> shape) {
        public Branch {
            Checks.notBlank(name, "name");
            Checks.notNull(agent, "agent");
            Checks.notNull(shape, "shape");
        }
    }

    /** A branch that succeeded. */
    public record BranchResult(String branch, AgentId agent, AgentResult result) {}

    /** Turns the successful branches' results (in declaration order) into one output and confidence. */
    @FunctionalInterface
    public interface Aggregation {
        AgentResult aggregate(List<BranchResult> results);

        /** Every branch's output, confidence the mean. */
        static Aggregation all() {
            return results -> {
                ArrayNode outputs = Json.mapper().createArrayNode();
                results.forEach(r -> outputs.add(r.result().output()));
                double mean = results.stream()
                        .mapToDouble(r -> r.result().confidence())
                        .average()
                        .orElse(0);
                return AgentResult.deterministic(outputs, mean);
            };
        }

        /** The most confident branch's output; ties go to the earlier branch. */
        static Aggregation mostConfident() {
            return results -> {
                BranchResult best = results.get(0);
                for (BranchResult r : results) {
                    if (r.result().confidence() > best.result().confidence()) {
                        best = r;
                    }
                }
                return best.result();
            };
        }

        /**
         * The value of {@code field} most branches agree on; confidence is the share that agrees.
         * Ties go to the value the earliest branch gave.
         */
        static Aggregation majority(String field) {
            return results -> {
                Map<String, Integer> votes = new LinkedHashMap<>();
                for (BranchResult r : results) {
                    votes.merge(r.result().output().path(field).asText(), 1, Integer::sum);
                }
                Map.Entry<String, Integer> winner = votes.entrySet().stream()
                        .reduce((a, b) -> b.getValue() > a.getValue() ? b : a)
                        .orElseThrow();
                ObjectNode out = Json.object();
                out.put(field, winner.getKey());
                out.put("votes", winner.getValue());
                out.put("of", results.size());
                return AgentResult.deterministic(out, (double) winner.getValue() / results.size());
            };
        }
    }

    private Parallel(Builder b) {
        super(b.input, b.output);
        this.branches = List.copyOf(b.branches);
        this.maxConcurrency = b.maxConcurrency;
        this.minSuccesses = b.minSuccesses == 0 ? branches.size() : b.minSuccesses;
        this.aggregation = b.aggregation;
    }

    public static Builder builder() {
        return new Builder();
    }

    private record Attempt(BranchResult ok, Failure failure) {}

    @Override
    protected AgentResult perform(StepContext context, JsonNode input) {
        List<Callable<Attempt>> tasks = new ArrayList<>();
        for (Branch b : branches) {
            tasks.add(() -> {
                try {
                    AgentResult r = context.call(
                            b.name(), b.agent(), AgentTask.of(b.shape().apply(input)));
                    return new Attempt(new BranchResult(b.name(), b.agent(), r), null);
                } catch (RuntimeException e) {
                    if (context.isCancelled()) {
                        throw e;
                    }
                    return new Attempt(null, Failure.of(e, b.name()));
                }
            });
        }
        List<Attempt> attempts = context.inParallel(tasks, maxConcurrency);
        List<BranchResult> ok = new ArrayList<>();
        ArrayNode failures = Json.mapper().createArrayNode();
        boolean worthRetrying = false;
        for (int i = 0; i < attempts.size(); i++) {
            Attempt a = attempts.get(i);
            if (a.ok() != null) {
                ok.add(a.ok());
            } else {
                failures.addObject()
                        .put("branch", branches.get(i).name())
                        .put("error", a.failure().toString());
                worthRetrying |= !a.failure().nonRetryable();
            }
        }
        if (ok.size() < minSuccesses) {
            String message = "only %d of %d branches succeeded, %d needed: %s"
                    .formatted(ok.size(), branches.size(), minSuccesses, failures);
            // Journaled branches are not called again, so a retry re-runs only the failed ones.
            throw worthRetrying ? new RetryableException(message) : new NonRetryableException(message);
        }
        AgentResult aggregate = aggregation.aggregate(List.copyOf(ok));
        ObjectNode out = Json.object();
        out.set("aggregate", aggregate.output());
        ArrayNode list = out.putArray("branches");
        for (BranchResult r : ok) {
            list.addObject()
                    .put("branch", r.branch())
                    .put("agent", r.agent().value())
                    .put("confidence", r.result().confidence())
                    .set("output", r.result().output());
        }
        out.set("failures", failures);
        List<AgentResult> all = ok.stream().map(BranchResult::result).toList();
        List<dev.guildhall.core.agent.Citation> citations =
                all.stream().flatMap(r -> r.citations().stream()).toList();
        return new AgentResult(
                out, aggregate.confidence(), citations, aggregate.nextSteps(), Results.usage(all), Results.mode(all));
    }

    public static final class Builder extends PatternBuilder<Builder> {
        private final List<Branch> branches = new ArrayList<>();
        private int maxConcurrency = 8;
        private int minSuccesses;
        private Aggregation aggregation = Aggregation.all();

        private Builder() {
            super("parallel");
        }

        public Builder branch(String name, AgentId agent) {
            return branch(name, agent, UnaryOperator.identity());
        }

        public Builder branch(String name, AgentId agent, UnaryOperator<JsonNode> shape) {
            Checks.check(
                    branches.stream().noneMatch(b -> b.name().equals(name)),
                    "branch names must be unique, was \"" + name + "\" twice");
            branches.add(new Branch(name, agent, shape));
            return this;
        }

        public Builder maxConcurrency(int max) {
            this.maxConcurrency = Checks.positive(max, "maxConcurrency");
            return this;
        }

        /** How many branches must succeed; by default all of them. */
        public Builder minSuccesses(int min) {
            this.minSuccesses = Checks.positive(min, "minSuccesses");
            return this;
        }

        public Builder aggregate(Aggregation strategy) {
            this.aggregation = Checks.notNull(strategy, "aggregation");
            return this;
        }

        public Parallel build() {
            Checks.notEmpty(branches, "branches");
            Checks.check(
                    minSuccesses <= branches.size(),
                    "minSuccesses must be <= the number of branches (%d), was %d"
                            .formatted(branches.size(), minSuccesses));
            return new Parallel(this);
        }
    }
}
