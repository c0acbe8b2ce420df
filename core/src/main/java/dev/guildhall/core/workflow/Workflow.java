package dev.guildhall.core.workflow;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.Checks;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.workflow.internal.AgentStep;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A graph of steps over a shared state. Immutable and thread-safe once built: one workflow serves
 * any number of concurrent runs.
 *
 * <pre>{@code
 * Workflow wf = Workflow.builder("triage")
 *     .agent("classify", AgentId.of("intent-classifier"), CLASSIFICATION)
 *     .step("answer", answerStep)
 *     .step("escalate", escalateStep)
 *     .start("classify")
 *     .choose("classify", s -> s.get(CLASSIFICATION).confidence() > 0.6 ? "answer" : "escalate",
 *             Map.of("answer", "answer", "escalate", "escalate"))
 *     .build();
 * }</pre>
 */
public final class Workflow {
    /** The pseudo-node a run finishes at. */
    public static final String END = "__end__";

    public static final int DEFAULT_MAX_STEPS = 1_000;
    public static final int DEFAULT_MAX_CONCURRENCY = 8;

    private final String id;
    private final String description;
    private final Map<String, Node> nodes;
    private final Map<String, Edge> edges;
    private final String start;
    private final Map<String, StateKey<?>> keys;
    private final int maxSteps;
    private final int maxConcurrency;

    private Workflow(Builder b) {
        this.id = b.id;
        this.description = b.description;
        this.nodes = Map.copyOf(b.nodes);
        this.edges = Map.copyOf(b.edges);
        this.start = b.start;
        this.keys = Map.copyOf(b.keys);
        this.maxSteps = b.maxSteps;
        this.maxConcurrency = b.maxConcurrency;
        this.order = List.copyOf(b.nodes.keySet());
    }

    private final List<String> order;

    private Workflow(Workflow base, String id) {
        this.id = id;
        this.description = base.description;
        this.nodes = base.nodes;
        this.edges = base.edges;
        this.start = base.start;
        this.keys = base.keys;
        this.maxSteps = base.maxSteps;
        this.maxConcurrency = base.maxConcurrency;
        this.order = base.order;
    }

    /**
     * This workflow under another id: the same graph, registered where the id must be unique across
     * owners (a server namespaces each workspace's workflows this way).
     */
    public Workflow withId(String newId) {
        Checks.notBlank(newId, "id");
        return new Workflow(this, newId);
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public String start() {
        return start;
    }

    /** Nodes in the order they were added. */
    public List<Node> nodes() {
        return order.stream().map(nodes::get).toList();
    }

    public Node node(String nodeId) {
        Node n = nodes.get(nodeId);
        if (n == null) {
            throw new WorkflowException("workflow " + id + " has no node \"" + nodeId + "\"");
        }
        return n;
    }

    /** The edge leaving {@code nodeId}; a node without one leads to {@link #END}. */
    public Optional<Edge> edge(String nodeId) {
        return Optional.ofNullable(edges.get(nodeId));
    }

    /** Declared state keys by name, used to read checkpoints back into typed values. */
    public Map<String, StateKey<?>> keys() {
        return keys;
    }

    /** Upper bound on supersteps in one run; a runaway loop fails instead of spinning. */
    public int maxSteps() {
        return maxSteps;
    }

    /** Upper bound on nodes running at the same time in one run. */
    public int maxConcurrency() {
        return maxConcurrency;
    }

    /** A Mermaid flowchart of the graph, for docs and the CLI. */
    public String toMermaid() {
        StringBuilder sb = new StringBuilder("flowchart TD\n");
        sb.append("  __start__((start)) --> ").append(start).append('\n');
        for (String n : order) {
            Edge e = edges.get(n);
            List<String> targets = e == null ? List.of(END) : e.possibleTargets();
            String arrow = e instanceof Edge.Choose ? " -.-> " : " --> ";
            for (String t : targets) {
                sb.append("  ")
                        .append(n)
                        .append(arrow)
                        .append(t.equals(END) ? "__end__((end))" : t)
                        .append('\n');
            }
        }
        return sb.toString();
    }

    public static final class Builder {
        private final String id;
        private String description = "";
        private final Map<String, Node> nodes = new LinkedHashMap<>();
        private final Map<String, Edge> edges = new LinkedHashMap<>();
        private final Map<String, StateKey<?>> keys = new LinkedHashMap<>();
        private String start;
        private int maxSteps = DEFAULT_MAX_STEPS;
        private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;

        private Builder(String id) {
            this.id = Checks.notBlank(id, "workflow id");
        }

        public Builder description(String text) {
            this.description = text == null ? "" : text;
            return this;
        }

        /** Declares state keys so that checkpoints read back as typed values. */
        public Builder keys(StateKey<?>... stateKeys) {
            for (StateKey<?> k : stateKeys) {
                keys.put(k.name(), k);
            }
            return this;
        }

        public Builder step(String nodeId, Step step) {
            return node(new Node(nodeId, step, StepOptions.DEFAULTS, null));
        }

        public Builder step(String nodeId, Step step, StepOptions options) {
            return node(new Node(nodeId, step, options, null));
        }

        /**
         * A node that calls an agent with the whole state as JSON input and writes its result to
         * {@code result}. The agent's own timeout and retry policy apply.
         */
        public Builder agent(String nodeId, AgentId agent, StateKey<AgentResult> result) {
            keys(result);
            return node(new Node(nodeId, AgentStep.wholeState(agent, result), StepOptions.DEFAULTS, agent));
        }

        /** A node that calls an agent with input mapped from the state. */
        public Builder agent(
                String nodeId,
                AgentId agent,
                Function<State, com.fasterxml.jackson.databind.JsonNode> input,
                StateKey<AgentResult> result) {
            keys(result);
            return node(new Node(nodeId, new AgentStep(agent, input, result), StepOptions.DEFAULTS, agent));
        }

        public Builder node(Node node) {
            if (nodes.putIfAbsent(node.id(), node) != null) {
                throw new WorkflowException("workflow " + id + " has two nodes named \"" + node.id() + "\"");
            }
            return this;
        }

        public Builder start(String nodeId) {
            this.start = Checks.notBlank(nodeId, "start");
            return this;
        }

        /** {@code from} leads to {@code to}; several targets run in parallel. */
        public Builder edge(String from, String... to) {
            return putEdge(from, new Edge.To(List.of(to)));
        }

        /** {@code from} leads to the node named by {@code chooser}'s label through {@code routes}. */
        public Builder choose(String from, Function<State, String> chooser, Map<String, String> routes) {
            Map<String, List<String>> lists = new LinkedHashMap<>();
            routes.forEach((label, target) -> lists.put(label, List.of(target)));
            return putEdge(from, new Edge.Choose(chooser, lists, null));
        }

        public Builder choose(
                String from, Function<State, String> chooser, Map<String, String> routes, String otherwise) {
            Map<String, List<String>> lists = new LinkedHashMap<>();
            routes.forEach((label, target) -> lists.put(label, List.of(target)));
            return putEdge(from, new Edge.Choose(chooser, lists, List.of(otherwise)));
        }

        /** Steps run one after another in the given order. */
        public Builder chain(String... nodeIds) {
            for (int i = 0; i + 1 < nodeIds.length; i++) {
                edge(nodeIds[i], nodeIds[i + 1]);
            }
            return this;
        }

        public Builder maxSteps(int max) {
            this.maxSteps = Checks.positive(max, "maxSteps");
            return this;
        }

        public Builder maxConcurrency(int max) {
            this.maxConcurrency = Checks.positive(max, "maxConcurrency");
            return this;
        }

        private Builder putEdge(String from, Edge edge) {
            if (edges.putIfAbsent(from, edge) != null) {
                throw new WorkflowException("workflow " + id + ": node \"" + from + "\" already has an outgoing edge");
            }
            return this;
        }

        /**
         * @throws WorkflowException naming every problem: no start, edges to unknown nodes,
         *     nodes nothing reaches
         */
        public Workflow build() {
            List<String> problems = new ArrayList<>();
            if (nodes.isEmpty()) {
                problems.add("it has no nodes");
            }
            if (start == null && !nodes.isEmpty()) {
                start = nodes.keySet().iterator().next();
            }
            if (start != null && !nodes.containsKey(start)) {
                problems.add("start node \"" + start + "\" does not exist");
            }
            edges.forEach((from, edge) -> {
                if (!nodes.containsKey(from)) {
                    problems.add("edge from unknown node \"" + from + "\"");
                }
                for (String to : edge.possibleTargets()) {
                    if (!to.equals(END) && !nodes.containsKey(to)) {
                        problems.add("edge from \"" + from + "\" to unknown node \"" + to + "\"");
                    }
                }
            });
            if (problems.isEmpty()) {
                Set<String> unreachable = new HashSet<>(nodes.keySet());
                unreachable.removeAll(reachableFrom(start));
                if (!unreachable.isEmpty()) {
                    problems.add("nodes " + unreachable.stream().sorted().toList() + " cannot be reached from \""
                            + start + "\"");
                }
            }
            if (!problems.isEmpty()) {
                throw new WorkflowException("workflow " + id + " is invalid: " + String.join("; ", problems));
            }
            return new Workflow(this);
        }

        private Collection<String> reachableFrom(String from) {
            Set<String> seen = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>(List.of(from));
            while (!todo.isEmpty()) {
                String n = todo.pop();
                if (n.equals(END) || !seen.add(n)) {
                    continue;
                }
                Edge e = edges.get(n);
                if (e != null) {
                    todo.addAll(e.possibleTargets());
                }
            }
            return seen;
        }
    }
}
