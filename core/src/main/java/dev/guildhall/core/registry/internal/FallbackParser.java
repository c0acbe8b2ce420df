package dev.guildhall.core.registry.internal;

import com.fasterxml.jackson.databind.node.NullNode;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.definition.Problems;
import dev.guildhall.core.definition.YamlObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Reads the {@code fallback} section of a definition; see docs/AGENTS.md for the format. */
final class FallbackParser {
    static final List<String> KINDS = List.of("template", "rules", "classify", "retrieve", "escalate");
    private static final List<String> OPERATORS =
            List.of("containsAny", "matches", "equals", "greaterThan", "lessThan", "exists");
    private static final int DEFAULT_K = 3;

    private final VariableScope scope;
    private final List<Ref> handoffs;

    private FallbackParser(VariableScope scope, List<Ref> handoffs) {
        this.scope = scope;
        this.handoffs = handoffs;
    }

    /** The fallback, or null when it has problems (all reported); adds its next-step references to {@code handoffs}. */
    static @Nullable Fallback parse(YamlObject f, VariableScope scope, List<Ref> handoffs) {
        return new FallbackParser(scope, handoffs).parse(f);
    }

    private @Nullable Fallback parse(YamlObject f) {
        Problems problems = f.problems();
        int before = problems.count();
        String kind = f.text("kind");
        if (kind == null) {
            problems.add(f.line("kind"), f.field("kind"), "is required: one of " + String.join(", ", KINDS));
            return null;
        }
        if (!KINDS.contains(kind)) {
            problems.add(
                    f.line("kind"),
                    f.field("kind"),
                    "must be one of " + String.join(", ", KINDS) + ", was \"" + kind + "\"");
            return null;
        }
        Fallback fallback =
                switch (kind) {
                    case "template" -> template(f);
                    case "rules" -> rules(f);
                    case "classify" -> classify(f);
                    case "retrieve" -> retrieve(f);
                    default -> escalate(f);
                };
        return problems.count() == before ? fallback : null;
    }

    private @Nullable Fallback template(YamlObject f) {
        f.rejectUnknown(List.of("kind", "reply", "output", "confidence", "nextSteps"));
        f.required("reply");
        TemplateText reply = template(f, "reply");
        Node extra = f.node("output");
        JsonTemplate extraTemplate = null;
        if (extra != null) {
            if (extra instanceof MappingNode) {
                extraTemplate = JsonTemplate.compile(extra, f.field("output"), scope, f.problems());
            } else {
                f.problems()
                        .add(
                                extra,
                                f.field("output"),
                                "must be a mapping of extra output fields, was " + YamlObject.describe(extra));
            }
        }
        Double confidence = f.number("confidence", 0, 1);
        List<String> next = nextSteps(f);
        return reply == null
                ? null
                : new TemplateFallback(reply, extraTemplate, confidence == null ? 1.0 : confidence, next);
    }

    private @Nullable Fallback rules(YamlObject f) {
        f.rejectUnknown(List.of("kind", "rules", "default"));
        Node list = f.node("rules");
        List<RulesFallback.Rule> rules = new ArrayList<>();
        if (list == null) {
            f.problems()
                    .add(
                            f.line("rules"),
                            f.field("rules"),
                            "is required: a list of {when, output, confidence, nextSteps}");
        } else if (!(list instanceof SequenceNode seq)) {
            f.problems().add(list, f.field("rules"), "must be a list of rules, was " + YamlObject.describe(list));
        } else {
            for (int i = 0; i < seq.getValue().size(); i++) {
                YamlObject r = YamlObject.of(seq.getValue().get(i), f.field("rules") + "[" + i + "]", f.problems());
                if (r != null) {
                    r.rejectUnknown(List.of("when", "output", "confidence", "nextSteps"));
                    List<Condition> when = conditions(r);
                    Outcome then = outcome(r, 1.0);
                    if (when != null && then != null) {
                        rules.add(new RulesFallback.Rule(when, then));
                    }
                }
            }
        }
        Outcome otherwise = null;
        YamlObject d = f.object("default");
        if (d != null) {
            d.rejectUnknown(List.of("output", "confidence", "nextSteps"));
            otherwise = outcome(d, 0.5);
        }
        return new RulesFallback(rules, otherwise);
    }

    private @Nullable List<Condition> conditions(YamlObject rule) {
        Node when = rule.node("when");
        if (when == null) {
            rule.problems()
                    .add(
                            rule.line(),
                            rule.field("when"),
                            "is required: a condition such as {field: message, containsAny: [refund]}");
            return null;
        }
        List<Node> items = when instanceof SequenceNode seq ? seq.getValue() : List.of(when);
        List<Condition> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String path = rule.field("when") + (when instanceof SequenceNode ? "[" + i + "]" : "");
            YamlObject c = YamlObject.of(items.get(i), path, rule.problems());
            Condition condition = c == null ? null : condition(c);
            if (condition == null) {
                return null;
            }
            out.add(condition);
        }
        return out;
    }

    private @Nullable Condition condition(YamlObject c) {
        Problems problems = c.problems();
        int before = problems.count();
        List<String> known = new ArrayList<>(OPERATORS);
        known.add(0, "field");
        c.rejectUnknown(known);
        String field = c.text("field");
        if (field == null) {
            problems.add(c.line("field"), c.field("field"), "is required: the input field the condition tests");
        } else if (!scope.supplies(field)) {
            problems.add(
                    c.line("field"),
                    c.field("field"),
                    "input '" + field + "' is not supplied by anything (" + scope.describe()
                            + "); declare it under 'inputs'");
        }
        List<Condition.Test> tests = new ArrayList<>();
        if (c.has("containsAny")) {
            List<ScalarNode> words = c.scalars("containsAny");
            if (words != null && words.isEmpty()) {
                problems.add(c.line("containsAny"), c.field("containsAny"), "must list at least one keyword");
            } else if (words != null) {
                tests.add(new Condition.ContainsAny(
                        Keywords.of(words.stream().map(ScalarNode::getValue).toList())));
            }
        }
        String regex = c.text("matches");
        if (regex != null) {
            try {
                tests.add(new Condition.Matches(Pattern.compile(regex)));
            } catch (PatternSyntaxException e) {
                problems.add(
                        c.line("matches"),
                        c.field("matches"),
                        "is not a valid regular expression: " + e.getDescription());
            }
        }
        Node equals = c.node("equals");
        if (equals != null) {
            if (equals instanceof ScalarNode scalar) {
                tests.add(new Condition.Equals(YamlObject.toJson(scalar), scalar.getValue()));
            } else {
                problems.add(equals, c.field("equals"), "must be a single value, was " + YamlObject.describe(equals));
            }
        } else if (c.keys().contains("equals")) {
            tests.add(new Condition.Equals(NullNode.getInstance(), ""));
        }
        Double gt = c.number("greaterThan", -Double.MAX_VALUE, Double.MAX_VALUE);
        if (gt != null) {
            tests.add(new Condition.GreaterThan(gt));
        }
        Double lt = c.number("lessThan", -Double.MAX_VALUE, Double.MAX_VALUE);
        if (lt != null) {
            tests.add(new Condition.LessThan(lt));
        }
        Boolean exists = c.bool("exists");
        if (exists != null) {
            tests.add(new Condition.Exists(exists));
        }
        if (tests.isEmpty() && problems.count() == before) {
            problems.add(c.line(), c.path(), "needs at least one test: " + String.join(", ", OPERATORS));
        }
        return problems.count() == before && field != null ? new Condition(field, tests) : null;
    }

    private @Nullable Outcome outcome(YamlObject o, double defaultConfidence) {
        Node output = o.node("output");
        JsonTemplate template = null;
        if (output == null) {
            o.problems()
                    .add(o.line(), o.field("output"), "is required: the result to return, such as {intent: refund}");
        } else {
            template = JsonTemplate.compile(output, o.field("output"), scope, o.problems());
        }
        Double confidence = o.number("confidence", 0, 1);
        List<String> next = nextSteps(o);
        return template == null
                ? null
                : new Outcome(template, confidence == null ? defaultConfidence : confidence, next);
    }

    private @Nullable Fallback classify(YamlObject f) {
        f.rejectUnknown(List.of("kind", "text", "labels", "default", "escalateBelow"));
        f.required("text");
        TemplateText text = template(f, "text");
        Map<String, Keywords> labels = new LinkedHashMap<>();
        if (f.node("labels") == null) {
            f.problems()
                    .add(
                            f.line("labels"),
                            f.field("labels"),
                            "is required: a mapping of label to keywords, such as {refund: [refund, money back]}");
        }
        YamlObject l = f.object("labels");
        if (l != null) {
            for (String label : l.keys()) {
                List<ScalarNode> words = l.has(label) ? l.scalars(label) : List.of();
                if (words != null && words.isEmpty()) {
                    f.problems().add(l.line(label), l.field(label), "must list at least one keyword");
                } else if (words != null) {
                    labels.put(
                            label,
                            Keywords.of(words.stream().map(ScalarNode::getValue).toList()));
                }
            }
            if (l.keys().isEmpty()) {
                f.problems().add(l.line(), l.path(), "must define at least one label");
            }
        }
        String otherwise = f.text("default");
        Double escalateBelow = f.number("escalateBelow", 0, 1);
        return text == null
                ? null
                : new ClassifyFallback(text, labels, otherwise == null ? "unknown" : otherwise, escalateBelow);
    }

    private @Nullable Fallback retrieve(YamlObject f) {
        f.rejectUnknown(List.of("kind", "collection", "query", "k", "minScore", "filters"));
        f.required("collection");
        f.required("query");
        String collection = f.text("collection");
        TemplateText query = template(f, "query");
        Integer k = f.integer("k", 1, 100);
        Double minScore = f.number("minScore", -Double.MAX_VALUE, Double.MAX_VALUE);
        Map<String, String> filters = new LinkedHashMap<>();
        YamlObject fl = f.object("filters");
        if (fl != null) {
            for (String key : fl.keys()) {
                String v = fl.text(key);
                if (v != null) {
                    filters.put(key, v);
                }
            }
        }
        return collection == null || query == null
                ? null
                : new RetrieveFallback(
                        collection, query, k == null ? DEFAULT_K : k, minScore == null ? 0.0 : minScore, filters);
    }

    private @Nullable Fallback escalate(YamlObject f) {
        f.rejectUnknown(List.of("kind", "reason"));
        TemplateText reason =
                f.has("reason") ? template(f, "reason") : TemplateText.ofTrusted(EscalateFallback.DEFAULT_REASON);
        return reason == null ? null : new EscalateFallback(reason);
    }

    private @Nullable TemplateText template(YamlObject o, String key) {
        ScalarNode node = o.scalar(key);
        return node == null ? null : TemplateText.compile(node, o.field(key), scope, o.problems());
    }

    /** Reads {@code nextSteps}; names other than {@code escalate} must be agent ids, checked after loading. */
    private List<String> nextSteps(YamlObject o) {
        List<ScalarNode> steps = o.scalars("nextSteps");
        if (steps == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (ScalarNode s : steps) {
            out.add(s.getValue());
            if (!s.getValue().equals(AgentResult.ESCALATE)) {
                handoffs.add(new Ref(s.getValue(), Problems.lineOf(s), o.field("nextSteps")));
            }
        }
        return out;
    }
}
