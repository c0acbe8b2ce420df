package dev.guildhall.core.workflow.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.AgentId;
import dev.guildhall.core.NonRetryableException;
import dev.guildhall.core.agent.AgentLookup;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.classify.ClassifierProvider;
import dev.guildhall.core.classify.ClassifierSpec;
import dev.guildhall.core.classify.ProvidedClassifier;
import dev.guildhall.core.definition.InvalidDefinitionException;
import dev.guildhall.core.definition.Problems;
import dev.guildhall.core.definition.YamlObject;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.retry.RetryPolicy;
import dev.guildhall.core.workflow.Node;
import dev.guildhall.core.workflow.State;
import dev.guildhall.core.workflow.StateKey;
import dev.guildhall.core.workflow.Step;
import dev.guildhall.core.workflow.StepOptions;
import dev.guildhall.core.workflow.StepOutcome;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.WorkflowException;
import dev.guildhall.core.workflow.internal.AgentStep;
import dev.guildhall.core.workflow.patterns.Debate;
import dev.guildhall.core.workflow.patterns.ExpertPanel;
import dev.guildhall.core.workflow.patterns.Parallel;
import dev.guildhall.core.workflow.patterns.Router;
import dev.guildhall.core.workflow.patterns.Verification;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads declarative workflows (YAML, see {@code docs/WORKFLOWS.md}) into {@link Workflow}s. Every
 * problem is reported with its file, line and field, all of them in one {@link
 * InvalidDefinitionException}. Each step's result is written to the state under the step's id.
 */
public final class WorkflowDefinitions {
    public static final List<String> FIELDS =
            List.of("id", "description", "start", "maxSteps", "maxConcurrency", "steps");
    public static final List<String> KINDS =
            List.of("agent", "parallel", "router", "debate", "verify", "panel", "wait");
    private static final List<String> STEP_FIELDS = List.of(
            "id",
            "description",
            "agent",
            "parallel",
            "router",
            "debate",
            "verify",
            "panel",
            "wait",
            "input",
            "next",
            "join",
            "retry",
            "timeout",
            "maxVisits");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final String END = "end";

    private final Problems problems;
    private final AgentLookup agents;
    private final @Nullable Path directory;
    private final @Nullable ClassifierProvider classifiers;

    private WorkflowDefinitions(
            Problems problems, AgentLookup agents, @Nullable Path directory, @Nullable ClassifierProvider classifiers) {
        this.problems = problems;
        this.agents = agents;
        this.directory = directory;
        this.classifiers = classifiers;
    }

    /**
     * Loads one workflow file. A router step's {@code classifier: {...}} is built by the {@link
     * ClassifierProvider} on the class path, with paths relative to the file's directory.
     *
     * @param agents the agents steps may name; an unknown agent is a definition error
     * @throws InvalidDefinitionException naming every problem with file, line and field
     */
    public static Workflow load(Path file, AgentLookup agents) {
        return load(file, agents, ClassifierProvider.find().orElse(null));
    }

    /** As {@link #load(Path, AgentLookup)}, with the classifier provider given (null: none). */
    public static Workflow load(Path file, AgentLookup agents, @Nullable ClassifierProvider classifiers) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(
                    file.getFileName().toString(),
                    reader,
                    agents,
                    file.toAbsolutePath().getParent(),
                    classifiers);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read workflow " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads one workflow from {@code reader}; {@code source} names it in messages. A classifier's
     * relative paths are refused (there is no directory to resolve them against).
     */
    public static Workflow parse(String source, Reader reader, AgentLookup agents) {
        return parse(source, reader, agents, null, ClassifierProvider.find().orElse(null));
    }

    private static Workflow parse(
            String source,
            Reader reader,
            AgentLookup agents,
            @Nullable Path directory,
            @Nullable ClassifierProvider classifiers) {
        Problems problems = new Problems(source);
        org.yaml.snakeyaml.nodes.Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(reader);
        } catch (MarkedYAMLException e) {
            problems.add(
                    e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1,
                    null,
                    "YAML syntax: " + e.getProblem());
            throw new InvalidDefinitionException(problems.errors());
        } catch (YAMLException e) {
            problems.add(0, null, "YAML syntax: " + e.getMessage());
            throw new InvalidDefinitionException(problems.errors());
        }
        if (root == null) {
            problems.add(0, null, "the file is empty");
            throw new InvalidDefinitionException(problems.errors());
        }
        Workflow wf = new WorkflowDefinitions(problems, agents, directory, classifiers).workflow(root);
        if (problems.count() > 0 || wf == null) {
            throw new InvalidDefinitionException(problems.errors());
        }
        return wf;
    }

    private record Declared(String id, int line, YamlObject yaml, Node node) {}

    private @Nullable Workflow workflow(org.yaml.snakeyaml.nodes.Node root) {
        YamlObject doc = YamlObject.of(root, "", problems);
        if (doc == null) {
            return null;
        }
        doc.rejectUnknown(FIELDS);
        doc.required("id");
        doc.required("steps");
        String id = doc.text("id");
        if (id != null && !ID.matcher(id).matches()) {
            problems.add(doc.line("id"), "id", "must be letters, digits, '-' or '_', was \"" + id + "\"");
        }
        Workflow.Builder builder = Workflow.builder(id == null ? "invalid" : id);
        String description = doc.text("description");
        if (description != null) {
            builder.description(description);
        }
        Integer maxSteps = doc.integer("maxSteps", 1, 1_000_000);
        if (maxSteps != null) {
            builder.maxSteps(maxSteps);
        }
        Integer maxConcurrency = doc.integer("maxConcurrency", 1, 1024);
        if (maxConcurrency != null) {
            builder.maxConcurrency(maxConcurrency);
        }
        List<Declared> steps = steps(doc);
        if (steps.isEmpty()) {
            return null;
        }
        Map<String, Declared> byId = new LinkedHashMap<>();
        steps.forEach(s -> byId.put(s.id(), s));
        for (int i = 0; i < steps.size(); i++) {
            Declared s = steps.get(i);
            builder.node(s.node());
            String following = i + 1 < steps.size() ? steps.get(i + 1).id() : null;
            edges(builder, s, following, byId);
        }
        String start = doc.text("start");
        if (start != null && !byId.containsKey(start)) {
            problems.add(doc.line("start"), "start", "names unknown step \"" + start + "\"");
        }
        builder.start(start != null ? start : steps.get(0).id());
        if (problems.count() > 0) {
            return null;
        }
        try {
            return builder.build();
        } catch (WorkflowException e) {
            problems.add(doc.line("steps"), "steps", e.getMessage());
            return null;
        }
    }

    private List<Declared> steps(YamlObject doc) {
        org.yaml.snakeyaml.nodes.Node list = doc.node("steps");
        if (list == null) {
            return List.of();
        }
        if (!(list instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            problems.add(list, "steps", "must be a non-empty list of steps");
            return List.of();
        }
        List<Declared> out = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            YamlObject s = YamlObject.of(seq.getValue().get(i), "steps[" + i + "]", problems);
            if (s == null) {
                continue;
            }
            s.rejectUnknown(STEP_FIELDS);
            s.required("id");
            String id = s.text("id");
            if (id == null) {
                continue;
            }
            if (!ID.matcher(id).matches() || id.equals(END)) {
                problems.add(
                        s.line("id"),
                        s.field("id"),
                        "must be letters, digits, '-' or '_' and not 'end', was \"" + id + "\"");
                continue;
            }
            Integer first = seen.putIfAbsent(id, s.line("id"));
            if (first != null) {
                problems.add(
                        s.line("id"), s.field("id"), "duplicate step id \"" + id + "\" (first on line " + first + ")");
                continue;
            }
            Node node = node(id, s);
            if (node != null) {
                out.add(new Declared(id, s.line(), s, node));
            }
        }
        return out;
    }

    private @Nullable Node node(String id, YamlObject s) {
        List<String> kinds = KINDS.stream().filter(s::has).toList();
        if (kinds.size() != 1) {
            problems.add(
                    s.line(),
                    s.path(),
                    "a step needs exactly one of " + String.join(", ", KINDS)
                            + (kinds.isEmpty() ? "" : ", was " + String.join(" and ", kinds)));
            return null;
        }
        Function<State, JsonNode> input = input(s);
        StateKey<AgentResult> result = StateKey.of(id, AgentResult.class);
        StepOptions options = options(s);
        String kind = kinds.get(0);
        return switch (kind) {
            case "agent" -> {
                AgentId agent = agent(s, "agent");
                yield agent == null
                        ? null
                        : new Node(
                                id,
                                new AgentStep(agent, input, result),
                                options == null ? StepOptions.DEFAULTS : options,
                                agent);
            }
            case "wait" -> waitNode(id, s, options);
            default -> {
                Step step = pattern(kind, s, input, result);
                yield step == null ? null : new Node(id, step, options == null ? StepOptions.DEFAULTS : options, null);
            }
        };
    }

    private Function<State, JsonNode> input(YamlObject s) {
        org.yaml.snakeyaml.nodes.Node node = s.node("input");
        if (node == null) {
            return State::toJson;
        }
        StateTemplate template = new StateTemplate(YamlObject.toJson(node));
        return template::render;
    }

    private @Nullable StepOptions options(YamlObject s) {
        if (!s.has("retry") && !s.has("timeout") && !s.has("maxVisits") && !s.has("join")) {
            return null;
        }
        StepOptions.Builder b = StepOptions.builder();
        Duration timeout = s.duration("timeout");
        if (timeout != null) {
            b.timeout(timeout);
        }
        Integer maxVisits = s.integer("maxVisits", 1, 100_000);
        if (maxVisits != null) {
            b.maxVisits(maxVisits);
        }
        Boolean join = s.bool("join");
        if (join != null) {
            b.join(join);
        }
        YamlObject retry = s.object("retry");
        if (retry != null) {
            retry.rejectUnknown(
                    List.of("maxAttempts", "initialInterval", "maximumInterval", "backoffCoefficient", "jitter"));
            RetryPolicy.Builder r = RetryPolicy.builder();
            Integer attempts = retry.integer("maxAttempts", 1, 100);
            if (attempts != null) {
                r.maxAttempts(attempts);
            }
            Duration initial = retry.duration("initialInterval");
            if (initial != null) {
                r.initialInterval(initial);
            }
            Duration max = retry.duration("maximumInterval");
            if (max != null) {
                r.maximumInterval(max);
            }
            Double coefficient = retry.number("backoffCoefficient", 1.0, 100.0);
            if (coefficient != null) {
                r.backoffCoefficient(coefficient);
            }
            Double jitter = retry.number("jitter", 0.0, 1.0);
            if (jitter != null) {
                r.jitter(jitter);
            }
            try {
                b.retry(r.build());
            } catch (IllegalArgumentException e) {
                problems.add(retry.line(), retry.path(), e.getMessage());
            }
        }
        return b.build();
    }

    private @Nullable AgentId agent(YamlObject owner, String key) {
        String name = owner.text(key);
        if (name == null) {
            return null;
        }
        AgentId id = AgentId.of(name);
        if (agents.find(id).isEmpty()) {
            problems.add(owner.line(key), owner.field(key), "unknown agent \"" + name + "\"");
            return null;
        }
        return id;
    }

    private List<AgentId> agentList(YamlObject owner, String key) {
        List<ScalarNode> names = owner.scalars(key);
        List<AgentId> out = new ArrayList<>();
        if (names == null) {
            return out;
        }
        for (ScalarNode n : names) {
            AgentId id = AgentId.of(n.getValue());
            if (agents.find(id).isEmpty()) {
                problems.add(n, owner.field(key), "unknown agent \"" + n.getValue() + "\"");
            } else {
                out.add(id);
            }
        }
        return out;
    }

    private @Nullable Step pattern(
            String kind, YamlObject s, Function<State, JsonNode> input, StateKey<AgentResult> result) {
        YamlObject p = s.object(kind);
        if (p == null) {
            return null;
        }
        int before = problems.count();
        try {
            Step step =
                    switch (kind) {
                        case "parallel" -> parallel(p, input, result);
                        case "router" -> router(p, input, result);
                        case "debate" -> debate(p, input, result);
                        case "verify" -> verify(p, input, result);
                        default -> panel(p, input, result);
                    };
            return problems.count() == before ? step : null;
        } catch (IllegalArgumentException e) {
            problems.add(p.line(), p.path(), e.getMessage());
            return null;
        }
    }

    private Step parallel(YamlObject p, Function<State, JsonNode> input, StateKey<AgentResult> result) {
        p.rejectUnknown(List.of("branches", "maxConcurrency", "minSuccesses", "aggregate"));
        p.required("branches");
        Parallel.Builder b = Parallel.builder().input(input).into(result);
        if (p.node("branches") instanceof MappingNode m) {
            YamlObject branches = YamlObject.of(m, p.field("branches"), problems);
            for (String name : branches.keys()) {
                AgentId agent = agent(branches, name);
                if (agent != null) {
                    b.branch(name, agent);
                }
            }
        } else {
            for (AgentId a : agentList(p, "branches")) {
                b.branch(a.value(), a);
            }
        }
        Integer max = p.integer("maxConcurrency", 1, 1024);
        if (max != null) {
            b.maxConcurrency(max);
        }
        Integer min = p.integer("minSuccesses", 1, 1024);
        if (min != null) {
            b.minSuccesses(min);
        }
        String aggregate = p.text("aggregate");
        if (aggregate != null) {
            if (aggregate.equals("all")) {
                b.aggregate(Parallel.Aggregation.all());
            } else if (aggregate.equals("mostConfident")) {
                b.aggregate(Parallel.Aggregation.mostConfident());
            } else if (aggregate.startsWith("majority:") && aggregate.length() > "majority:".length()) {
                b.aggregate(Parallel.Aggregation.majority(aggregate.substring("majority:".length())));
            } else {
                problems.add(
                        p.line("aggregate"),
                        p.field("aggregate"),
                        "must be all, mostConfident or majority:<field>, was \"" + aggregate + "\"");
            }
        }
        return b.build();
    }

    private Step router(YamlObject p, Function<State, JsonNode> input, StateKey<AgentResult> result) {
        p.rejectUnknown(List.of("classifier", "text", "routes", "fallback", "minConfidence"));
        p.required("classifier");
        p.required("routes");
        Router.Builder b = Router.builder().input(input).into(result);
        ProvidedClassifier provided = null;
        if (p.node("classifier") instanceof MappingNode spec) {
            provided = providedClassifier(p, spec);
            if (provided != null) {
                b.classifier(provided.classifier());
            }
        } else {
            AgentId classifier = agent(p, "classifier");
            if (classifier != null) {
                b.classifierAgent(classifier);
            }
        }
        String text = p.text("text");
        if (text != null) {
            b.textField(text);
        }
        YamlObject routes = p.object("routes");
        if (routes != null) {
            for (String label : routes.keys()) {
                if (provided != null && !provided.labels().contains(label)) {
                    problems.add(
                            routes.line(label),
                            routes.field(label),
                            "the classifier never answers \"" + label + "\"; its labels are " + provided.labels());
                }
                AgentId agent = agent(routes, label);
                if (agent != null) {
                    b.route(label, agent);
                }
            }
        }
        AgentId fallback = agent(p, "fallback");
        if (fallback != null) {
            b.fallback(fallback);
        }
        Double min = p.number("minConfidence", 0.0, 1.0);
        if (min != null) {
            b.minConfidence(min);
        }
        return b.build();
    }

    /** A {@code classifier:} mapping, built by the class path's {@link ClassifierProvider}. */
    private @Nullable ProvidedClassifier providedClassifier(YamlObject p, MappingNode node) {
        YamlObject spec = YamlObject.of(node, p.field("classifier"), problems);
        if (spec == null) {
            return null;
        }
        if (classifiers == null) {
            problems.add(
                    p.line("classifier"),
                    p.field("classifier"),
                    "a trained classifier needs the knowledge module on the class path; name a classifier agent instead");
            return null;
        }
        spec.rejectUnknown(classifiers.keys());
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : spec.keys()) {
            String value = spec.text(key);
            if (value != null) {
                settings.put(key, value);
            }
        }
        if (settings.size() != spec.keys().size()) {
            return null;
        }
        try {
            return classifiers.create(new ClassifierSpec(settings, directory));
        } catch (IllegalArgumentException | NonRetryableException | UncheckedIOException e) {
            problems.add(p.line("classifier"), p.field("classifier"), e.getMessage());
            return null;
        }
    }

    private Step debate(YamlObject p, Function<State, JsonNode> input, StateKey<AgentResult> result) {
        p.rejectUnknown(List.of("debaters", "judge", "rounds", "judgeOnConsensus"));
        p.required("debaters");
        p.required("judge");
        Debate.Builder b = Debate.builder().input(input).into(result).debaters(agentList(p, "debaters"));
        AgentId judge = agent(p, "judge");
        if (judge != null) {
            b.judge(judge);
        }
        Integer rounds = p.integer("rounds", 1, 100);
        if (rounds != null) {
            b.rounds(rounds);
        }
        Boolean always = p.bool("judgeOnConsensus");
        if (always != null) {
            b.judgeOnConsensus(always);
        }
        return b.build();
    }

    private Step verify(YamlObject p, Function<State, JsonNode> input, StateKey<AgentResult> result) {
        p.rejectUnknown(List.of("producer", "verifier", "maxAttempts", "escalateTo"));
        p.required("producer");
        p.required("verifier");
        Verification.Builder b = Verification.builder().input(input).into(result);
        AgentId producer = agent(p, "producer");
        if (producer != null) {
            b.producer(producer);
        }
        AgentId verifier = agent(p, "verifier");
        if (verifier != null) {
            b.verifier(verifier);
        }
        Integer max = p.integer("maxAttempts", 1, 100);
        if (max != null) {
            b.maxAttempts(max);
        }
        AgentId escalation = agent(p, "escalateTo");
        if (escalation != null) {
            b.escalateTo(escalation);
        }
        return b.build();
    }

    private Step panel(YamlObject p, Function<State, JsonNode> input, StateKey<AgentResult> result) {
        p.rejectUnknown(List.of("experts", "synthesiser", "maxConcurrency", "minExperts"));
        p.required("experts");
        p.required("synthesiser");
        ExpertPanel.Builder b = ExpertPanel.builder().input(input).into(result);
        agentList(p, "experts").forEach(b::expert);
        AgentId synthesiser = agent(p, "synthesiser");
        if (synthesiser != null) {
            b.synthesiser(synthesiser);
        }
        Integer max = p.integer("maxConcurrency", 1, 1024);
        if (max != null) {
            b.maxConcurrency(max);
        }
        Integer min = p.integer("minExperts", 1, 1024);
        if (min != null) {
            b.minExperts(min);
        }
        return b.build();
    }

    /** A step that waits for a signal and writes its payload, or {@code {"timedOut": true}}, under its id. */
    private @Nullable Node waitNode(String id, YamlObject s, @Nullable StepOptions options) {
        YamlObject w = s.object("wait");
        if (w == null) {
            return null;
        }
        w.rejectUnknown(List.of("signal", "timeout"));
        w.required("signal");
        String signal = w.text("signal");
        Duration timeout = w.duration("timeout");
        if (signal == null) {
            return null;
        }
        StateKey<JsonNode> key = StateKey.json(id);
        Step step = ctx -> {
            JsonNode payload = ctx.awaitSignal(signal, timeout).orElseGet(() -> {
                ObjectNode timedOut = Json.object();
                timedOut.put("timedOut", true);
                return timedOut;
            });
            return StepOutcome.completed(key, payload);
        };
        return new Node(id, step, options == null ? StepOptions.DEFAULTS : options, null);
    }

    private void edges(Workflow.Builder builder, Declared s, @Nullable String following, Map<String, Declared> steps) {
        YamlObject y = s.yaml();
        org.yaml.snakeyaml.nodes.Node next = y.node("next");
        if (next == null) {
            if (following != null) {
                builder.edge(s.id(), following);
            }
            return;
        }
        if (next instanceof ScalarNode scalar) {
            String target = target(scalar, y.field("next"), steps);
            if (target != null) {
                builder.edge(s.id(), target);
            }
        } else if (next instanceof SequenceNode seq) {
            List<String> targets = new ArrayList<>();
            for (org.yaml.snakeyaml.nodes.Node item : seq.getValue()) {
                String target = item instanceof ScalarNode sc ? target(sc, y.field("next"), steps) : null;
                if (target != null) {
                    targets.add(target);
                }
            }
            if (!targets.isEmpty()) {
                builder.edge(s.id(), targets.toArray(String[]::new));
            }
        } else {
            choice(builder, s, YamlObject.of(next, y.field("next"), problems), steps);
        }
    }

    private void choice(Workflow.Builder builder, Declared s, @Nullable YamlObject c, Map<String, Declared> steps) {
        if (c == null) {
            return;
        }
        c.rejectUnknown(List.of("switch", "cases", "default"));
        c.required("switch");
        c.required("cases");
        String path = c.text("switch");
        Map<String, String> routes = new LinkedHashMap<>();
        if (c.node("cases") instanceof MappingNode cases) {
            for (NodeTuple t : cases.getValue()) {
                String label = ((ScalarNode) t.getKeyNode()).getValue();
                if (t.getValueNode() instanceof ScalarNode target) {
                    String resolved = target(target, c.field("cases." + label), steps);
                    if (resolved != null) {
                        routes.put(label, resolved);
                    }
                } else {
                    problems.add(t.getValueNode(), c.field("cases." + label), "must name a step or 'end'");
                }
            }
        } else if (c.has("cases")) {
            problems.add(c.line("cases"), c.field("cases"), "must map each value to a step");
        }
        String otherwise = c.node("default") instanceof ScalarNode d ? target(d, c.field("default"), steps) : null;
        if (path == null || problems.count() > 0) {
            return;
        }
        Function<State, String> chooser = state -> {
            JsonNode value = state.at(path);
            return value.isMissingNode() || value.isNull() ? "" : value.asText();
        };
        if (otherwise != null) {
            builder.choose(s.id(), chooser, routes, otherwise);
        } else {
            builder.choose(s.id(), chooser, routes);
        }
    }

    private @Nullable String target(ScalarNode node, String field, Map<String, Declared> steps) {
        String name = node.getValue();
        if (name.equals(END)) {
            return Workflow.END;
        }
        if (!steps.containsKey(name)) {
            problems.add(node, field, "names unknown step \"" + name + "\"");
            return null;
        }
        return name;
    }
}
