package dev.guildhall.core.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.definition.Problems;
import dev.guildhall.core.definition.YamlObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The subset of JSON Schema that declarative agents use for their output. At load time it checks
 * the schema itself (known keywords, known types, {@code required} naming declared properties); at
 * run time it checks a model's answer against {@code type}, {@code required}, {@code properties},
 * {@code items}, {@code enum} and {@code additionalProperties: false}. Other standard keywords are
 * accepted and passed to the model but not enforced here.
 */
public final class OutputSchema {
    static final Set<String> TYPES = Set.of("object", "array", "string", "number", "integer", "boolean", "null");

    static final Set<String> KEYWORDS = Set.of(
            "type",
            "properties",
            "required",
            "items",
            "enum",
            "const",
            "description",
            "title",
            "default",
            "examples",
            "format",
            "pattern",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "uniqueItems",
            "additionalProperties",
            "$schema",
            "$id",
            "$ref",
            "$defs",
            "definitions",
            "anyOf",
            "oneOf",
            "allOf",
            "not",
            "nullable");

    private OutputSchema() {}

    /** Checks a schema written in a definition; the root must be an object so every provider accepts it. */
    public static void check(Node node, String field, Problems problems) {
        YamlObject root = YamlObject.of(node, field, problems);
        if (root == null) {
            return;
        }
        if (!"object".equals(root.text("type"))) {
            problems.add(
                    root.line("type"),
                    root.field("type"),
                    "the root of an output schema must have type: object (providers require a JSON object), was "
                            + (root.has("type") ? YamlObject.describe(root.node("type")) : "missing"));
        }
        checkSchema(root, problems);
    }

    private static void checkSchema(YamlObject s, Problems problems) {
        s.rejectUnknown(KEYWORDS);
        Node type = s.node("type");
        if (type != null) {
            List<ScalarNode> types = type instanceof ScalarNode one ? List.of(one) : s.scalars("type");
            for (ScalarNode t : types == null ? List.<ScalarNode>of() : types) {
                if (!TYPES.contains(t.getValue())) {
                    problems.add(
                            t,
                            s.field("type"),
                            "must be one of "
                                    + String.join(", ", TYPES.stream().sorted().toList()) + ", was \"" + t.getValue()
                                    + "\"");
                }
            }
        }
        Set<String> declared = new HashSet<>();
        YamlObject properties = s.object("properties");
        if (properties != null) {
            for (String name : properties.keys()) {
                declared.add(name);
                Node p = properties.node(name);
                if (p == null) {
                    problems.add(
                            properties.line(name), properties.field(name), "must be a schema such as {type: string}");
                    continue;
                }
                YamlObject sub = YamlObject.of(p, properties.field(name), problems);
                if (sub != null) {
                    checkSchema(sub, problems);
                }
            }
        }
        List<ScalarNode> required = s.scalars("required");
        if (required != null) {
            for (ScalarNode r : required) {
                if (properties != null && !declared.contains(r.getValue())) {
                    problems.add(r, s.field("required"), "names '" + r.getValue() + "', which is not under properties");
                }
            }
        }
        Node items = s.node("items");
        if (items != null) {
            YamlObject sub = YamlObject.of(items, s.field("items"), problems);
            if (sub != null) {
                checkSchema(sub, problems);
            }
        }
        Node additional = s.node("additionalProperties");
        if (additional != null && !(additional instanceof ScalarNode)) {
            YamlObject sub = YamlObject.of(additional, s.field("additionalProperties"), problems);
            if (sub != null) {
                checkSchema(sub, problems);
            }
        } else if (additional != null) {
            s.bool("additionalProperties");
        }
        if (s.has("enum")) {
            List<ScalarNode> values = s.scalars("enum");
            if (values != null && values.isEmpty()) {
                problems.add(s.line("enum"), s.field("enum"), "must list at least one value");
            }
        }
        String pattern = s.text("pattern");
        if (pattern != null) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                problems.add(
                        s.line("pattern"),
                        s.field("pattern"),
                        "is not a valid regular expression: " + e.getDescription());
            }
        }
    }

    /** What is wrong with {@code value} for {@code schema}, as {@code $.path: problem} lines; empty when it fits. */
    public static List<String> validate(JsonNode value, JsonNode schema) {
        List<String> out = new ArrayList<>();
        validate(value, schema, "$", out);
        return out;
    }

    private static void validate(JsonNode value, JsonNode schema, String path, List<String> out) {
        JsonNode type = schema.path("type");
        if (!type.isMissingNode()) {
            boolean ok = false;
            List<String> names = new ArrayList<>();
            for (JsonNode t : type.isArray() ? type : List.of(type)) {
                names.add(t.asText());
                ok |= hasType(value, t.asText());
            }
            if (!ok) {
                out.add(path + ": must be " + String.join(" or ", names) + ", was " + typeOf(value));
                return;
            }
        }
        JsonNode allowed = schema.path("enum");
        if (allowed.isArray()) {
            boolean found = false;
            for (JsonNode a : allowed) {
                found |= a.equals(value)
                        || (a.isValueNode() && value.isValueNode() && a.asText().equals(value.asText()));
            }
            if (!found) {
                out.add(path + ": must be one of " + allowed + ", was " + value);
            }
        }
        if (value.isObject()) {
            for (JsonNode r : schema.path("required")) {
                if (!value.has(r.asText()) || value.get(r.asText()).isNull()) {
                    out.add(path + "." + r.asText() + ": is required");
                }
            }
            JsonNode properties = schema.path("properties");
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                JsonNode sub = properties.path(e.getKey());
                if (!sub.isMissingNode()) {
                    validate(e.getValue(), sub, path + "." + e.getKey(), out);
                } else if (schema.path("additionalProperties").isBoolean()
                        && !schema.path("additionalProperties").asBoolean()) {
                    out.add(path + "." + e.getKey() + ": is not allowed (additionalProperties is false)");
                }
            }
        }
        if (value.isArray() && schema.path("items").isObject()) {
            for (int i = 0; i < value.size(); i++) {
                validate(value.get(i), schema.get("items"), path + "[" + i + "]", out);
            }
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "number" -> value.isNumber();
            case "integer" ->
                value.isIntegralNumber() || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble()));
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> true;
        };
    }

    private static String typeOf(JsonNode value) {
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isTextual()) {
            return "a string";
        }
        if (value.isNumber()) {
            return "a number";
        }
        if (value.isBoolean()) {
            return "a boolean";
        }
        return "null";
    }
}
