package dev.guildhall.core.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.AgentId;
import dev.guildhall.core.agent.AgentDescriptor;
import dev.guildhall.core.agent.Tier;
import dev.guildhall.core.definition.Problems;
import dev.guildhall.core.definition.YamlObject;
import dev.guildhall.core.gateway.ChatRequest;
import dev.guildhall.core.gateway.ModelPolicy;
import dev.guildhall.core.retry.RetryPolicy;
import java.io.Reader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads declarative agent definitions from YAML. Works on SnakeYAML's composed node tree rather
 * than on loaded maps, so every problem carries the line it is on, and it keeps going after a
 * problem so that one load reports them all. Stateless; each call uses its own parser.
 */
public final class DefinitionParser {
    /** Every top-level field, in the order docs/AGENTS.md describes them. */
    public static final List<String> FIELDS = List.of(
            "id",
            "name",
            "description",
            "tier",
            "team",
            "capabilities",
            "model",
            "timeout",
            "retry",
            "inputs",
            "instructions",
            "prompt",
            "tools",
            "maxToolRounds",
            "maxOutputTokens",
            "temperature",
            "output",
            "fallback");

    /** Ids are used in URLs, logs and file names, so they stay plain. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private static final Pattern INPUT = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)*");
    private static final int MAX_TOOL_ROUNDS = 50;

    private final Problems problems;

    private DefinitionParser(Problems problems) {
        this.problems = problems;
    }

    /** Reads every document (separated by {@code ---}) of one source, reporting problems to {@code problems}. */
    public static List<ParsedDocument> parse(Reader reader, Problems problems) {
        DefinitionParser parser = new DefinitionParser(problems);
        List<ParsedDocument> out = new ArrayList<>();
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(40);
        try {
            // The composer alone, not org.yaml.snakeyaml.Yaml: that would also build a constructor and a
            // representer per file, which costs more than parsing a small definition.
            Composer composer =
                    new Composer(new ParserImpl(new StreamReader(reader), options), new Resolver(), options);
            while (composer.checkNode()) {
                Node document = composer.getNode();
                if (document == null || YamlObject.isNull(document)) {
                    continue; // An empty document, such as a trailing "---" or a file of comments.
                }
                out.add(parser.document(document));
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problems.add(
                    mark == null ? 0 : mark.getLine() + 1,
                    null,
                    "is not valid YAML: " + (e.getContext() == null ? "" : e.getContext() + ", ") + e.getProblem());
        } catch (YAMLException e) {
            problems.add(0, null, "is not valid YAML: " + e.getMessage());
        }
        return out;
    }

    private ParsedDocument document(Node root) {
        int before = problems.count();
        List<Ref> toolRefs = new ArrayList<>();
        List<Ref> handoffs = new ArrayList<>();
        if (root instanceof SequenceNode) {
            problems.add(
                    root,
                    null,
                    "must be a mapping with one agent's fields; separate several agents in one file with ---");
            return new ParsedDocument(null, Problems.lineOf(root), toolRefs, handoffs, null);
        }
        YamlObject o = YamlObject.of(root, "", problems);
        if (o == null) {
            return new ParsedDocument(null, Problems.lineOf(root), toolRefs, handoffs, null);
        }
        o.rejectUnknown(FIELDS);

        AgentId id = id(o);
        String name = o.text("name");
        String description = o.text("description");
        Tier tier = tier(o);
        String team = o.text("team");
        Set<String> capabilities = strings(o, "capabilities");
        ModelPolicy model = model(o);
        Duration timeout = o.duration("timeout");
        RetryPolicy retry = retry(o);
        Map<String, InputSpec> inputs = inputs(o);
        VariableScope scope = new VariableScope(inputs.keySet());
        TemplateText instructions = template(o, "instructions", scope);
        TemplateText prompt = template(o, "prompt", scope);
        List<ScalarNode> tools = o.scalars("tools");
        if (tools != null) {
            tools.forEach(t -> toolRefs.add(new Ref(t.getValue(), Problems.lineOf(t), "tools")));
        }
        Integer maxToolRounds = o.integer("maxToolRounds", 1, MAX_TOOL_ROUNDS);
        Integer maxOutputTokens = o.integer("maxOutputTokens", 1, 1_000_000);
        Double temperature = o.number("temperature", 0, 2);
        JsonNode schema = output(o);
        YamlObject f = o.object("fallback");
        Fallback fallback = f == null ? null : FallbackParser.parse(f, scope, handoffs);

        if (model != null && model != ModelPolicy.NONE && !o.has("instructions")) {
            problems.add(
                    o.line(),
                    "instructions",
                    "is required when model is " + model.wireName() + ": it is the system prompt the model follows");
        }
        if (model == ModelPolicy.NONE && !o.has("fallback")) {
            problems.add(
                    o.line("model"),
                    "fallback",
                    "is required when model is none (the default): without a model and "
                            + "without a fallback the agent could never run; set model to cheap, standard or premium, or add a fallback");
        }

        int line = o.has("id") ? o.line("id") : o.line();
        if (problems.count() != before || id == null) {
            return new ParsedDocument(id, line, toolRefs, handoffs, null);
        }
        AgentDescriptor descriptor = new AgentDescriptor(
                id,
                name,
                description,
                tier,
                team,
                capabilities,
                model,
                timeout == null ? AgentDescriptor.DEFAULT_TIMEOUT : timeout,
                retry,
                problems.source());
        AgentDefinition definition = new AgentDefinition(
                descriptor,
                List.copyOf(inputs.values()),
                instructions,
                prompt,
                toolRefs.stream().map(Ref::name).toList(),
                schema,
                fallback,
                maxToolRounds == null ? AgentDefinition.DEFAULT_MAX_TOOL_ROUNDS : maxToolRounds,
                maxOutputTokens == null ? ChatRequest.DEFAULT_MAX_OUTPUT_TOKENS : maxOutputTokens,
                temperature);
        return new ParsedDocument(id, line, toolRefs, handoffs, definition);
    }

    private @Nullable AgentId id(YamlObject o) {
        String id = o.text("id");
        if (id == null) {
            problems.add(o.line(), "id", "is required: a unique name such as billing-specialist");
            return null;
        }
        if (!ID.matcher(id).matches()) {
            problems.add(
                    o.line("id"),
                    "id",
                    "must be letters, digits, '.', '_' or '-' (starting with a letter or digit), was \"" + id + "\"");
            return null;
        }
        return AgentId.of(id);
    }

    private Tier tier(YamlObject o) {
        ScalarNode node = o.scalar("tier");
        if (node == null) {
            return Tier.OPERATIONAL;
        }
        try {
            return node.getTag().equals(Tag.INT)
                    ? Tier.ofNumber(Integer.parseInt(node.getValue()))
                    : Tier.parse(node.getValue());
        } catch (IllegalArgumentException e) {
            problems.add(node, "tier", e.getMessage());
            return Tier.OPERATIONAL;
        }
    }

    private @Nullable ModelPolicy model(YamlObject o) {
        String text = o.text("model");
        if (text == null) {
            return o.has("model") ? null : ModelPolicy.NONE;
        }
        try {
            return ModelPolicy.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(o.line("model"), "model", e.getMessage());
            return null;
        }
    }

    private RetryPolicy retry(YamlObject o) {
        YamlObject r = o.object("retry");
        if (r == null) {
            return RetryPolicy.defaults();
        }
        r.rejectUnknown(List.of(
                "maxAttempts", "initialInterval", "backoffCoefficient", "maximumInterval", "jitter", "doNotRetry"));
        RetryPolicy.Builder b = RetryPolicy.builder();
        Integer maxAttempts = r.integer("maxAttempts", 1, 100);
        if (maxAttempts != null) {
            b.maxAttempts(maxAttempts);
        }
        Duration initial = r.duration("initialInterval");
        if (initial != null) {
            b.initialInterval(initial);
        }
        Double coefficient = r.number("backoffCoefficient", 1, 100);
        if (coefficient != null) {
            b.backoffCoefficient(coefficient);
        }
        Duration maximum = r.duration("maximumInterval");
        if (maximum != null) {
            b.maximumInterval(maximum);
        }
        Double jitter = r.number("jitter", 0, 1);
        if (jitter != null) {
            b.jitter(jitter);
        }
        Set<String> doNotRetry = strings(r, "doNotRetry");
        b.doNotRetry(doNotRetry);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            problems.add(r.line("maximumInterval"), r.field("maximumInterval"), e.getMessage());
            return RetryPolicy.defaults();
        }
    }

    private Map<String, InputSpec> inputs(YamlObject o) {
        Map<String, InputSpec> out = new LinkedHashMap<>();
        Node node = o.node("inputs");
        if (node == null) {
            return out;
        }
        if (node instanceof SequenceNode) {
            List<ScalarNode> names = o.scalars("inputs");
            for (ScalarNode n : names == null ? List.<ScalarNode>of() : names) {
                if (inputName(n.getValue(), Problems.lineOf(n), "inputs")) {
                    out.put(n.getValue(), new InputSpec(n.getValue(), false, null, "", Problems.lineOf(n)));
                }
            }
            return out;
        }
        YamlObject inputs = o.object("inputs");
        if (inputs == null) {
            return out;
        }
        for (String name : inputs.keys()) {
            int line = inputs.line(name);
            if (!inputName(name, line, inputs.field(name))) {
                continue;
            }
            YamlObject spec = inputs.has(name) ? inputs.object(name) : null;
            if (spec == null) {
                // "message:" with nothing after it declares an optional input; anything else was reported.
                if (!inputs.has(name)) {
                    out.put(name, new InputSpec(name, false, null, "", line));
                }
                continue;
            }
            spec.rejectUnknown(List.of("required", "default", "description"));
            Boolean required = spec.bool("required");
            Node defaultNode = spec.node("default");
            if (Boolean.TRUE.equals(required) && defaultNode != null) {
                problems.add(
                        spec.line("default"),
                        spec.field("default"),
                        "cannot be combined with required: true; " + "an input with a default is never missing");
            }
            String description = spec.text("description");
            out.put(
                    name,
                    new InputSpec(
                            name,
                            Boolean.TRUE.equals(required),
                            defaultNode == null ? null : YamlObject.toJson(defaultNode),
                            description == null ? "" : description,
                            line));
        }
        return out;
    }

    private boolean inputName(String name, int line, String field) {
        if (!INPUT.matcher(name).matches()) {
            problems.add(line, field, "input names must be dotted paths such as customer.plan, was \"" + name + "\"");
            return false;
        }
        String root = name.split("\\.")[0];
        if (VariableScope.BUILT_IN_ROOTS.contains(root)) {
            problems.add(
                    line,
                    field,
                    "'" + root + "' is a built-in variable (" + String.join(", ", VariableScope.BUILT_INS)
                            + "); choose another input name");
            return false;
        }
        return true;
    }

    private @Nullable TemplateText template(YamlObject o, String key, VariableScope scope) {
        ScalarNode node = o.scalar(key);
        return node == null ? null : TemplateText.compile(node, o.field(key), scope, problems);
    }

    private @Nullable JsonNode output(YamlObject o) {
        YamlObject output = o.object("output");
        if (output == null) {
            return null;
        }
        output.rejectUnknown(List.of("schema"));
        Node schema = output.node("schema");
        if (schema == null) {
            problems.add(
                    output.line(),
                    output.field("schema"),
                    "is required: a JSON Schema such as {type: object, properties: {...}}");
            return null;
        }
        int before = problems.count();
        OutputSchema.check(schema, output.field("schema"), problems);
        if (problems.count() != before) {
            return null;
        }
        try {
            return YamlObject.toJson(schema);
        } catch (IllegalArgumentException e) {
            problems.add(schema, output.field("schema"), e.getMessage());
            return null;
        }
    }

    private static Set<String> strings(YamlObject o, String key) {
        List<ScalarNode> nodes = o.scalars(key);
        Set<String> out = new LinkedHashSet<>();
        if (nodes != null) {
            nodes.forEach(n -> out.add(n.getValue()));
        }
        return out;
    }
}
