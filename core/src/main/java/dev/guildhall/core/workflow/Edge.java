package dev.guildhall.core.workflow;

import dev.guildhall.core.Checks;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Where a run goes after a node: to fixed targets (one, or several in parallel), or by a choice on the state. */
public sealed interface Edge {

    /** Every node this edge can lead to, for validation and drawing. */
    List<String> possibleTargets();

    /** The next nodes for this state. */
    List<String> next(State state);

    /** Unconditional: to one node, or to several that run in parallel (fan-out). */
    record To(List<String> targets) implements Edge {
        public To {
            targets = List.copyOf(Checks.notEmpty(targets, "targets"));
        }

        @Override
        public List<String> possibleTargets() {
            return targets;
        }

        @Override
        public List<String> next(State state) {
            return targets;
        }
    }

    /**
     * Conditional: {@code chooser} names a route; the route's nodes run next. A name with no route
     * goes to {@code otherwise} when set, and fails the run otherwise.
     */
    record Choose(Function<State, String> chooser, Map<String, List<String>> routes, @Nullable List<String> otherwise)
            implements Edge {
        public Choose {
            Checks.notNull(chooser, "chooser");
            routes = Map.copyOf(Checks.notNull(routes, "routes"));
            Checks.check(!routes.isEmpty() || otherwise != null, "routes must not be empty");
            otherwise = otherwise == null ? null : List.copyOf(otherwise);
        }

        @Override
        public List<String> possibleTargets() {
            var all = new java.util.ArrayList<String>();
            routes.values().forEach(all::addAll);
            Optional.ofNullable(otherwise).ifPresent(all::addAll);
            return all.stream().distinct().toList();
        }

        @Override
        public List<String> next(State state) {
            String label = chooser.apply(state);
            List<String> targets = label == null ? null : routes.get(label);
            if (targets != null) {
                return targets;
            }
            if (otherwise != null) {
                return otherwise;
            }
            throw new WorkflowException("no route for choice \"%s\"; routes are %s".formatted(label, routes.keySet()));
        }
    }
}
