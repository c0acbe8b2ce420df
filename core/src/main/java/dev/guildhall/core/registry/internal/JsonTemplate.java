package dev.guildhall.core.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.definition.Problems;
import dev.guildhall.core.definition.YamlObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A JSON value from a definition whose text leaves may be templates, such as a rule's {@code
 * output}. Numbers, booleans and text without {@code {{}}} stay literal. Immutable.
 */
public sealed interface JsonTemplate {

    JsonNode render(RenderContext context);

    /** Compiles {@code node}; null (with problems reported) when any leaf is a bad template. */
    static @Nullable JsonTemplate compile(Node node, String field, VariableScope scope, Problems problems) {
        int before = problems.count();
        JsonTemplate t = build(node, field, scope, problems);
        return problems.count() == before ? t : null;
    }

    private static JsonTemplate build(Node node, String field, VariableScope scope, Problems problems) {
        if (node instanceof MappingNode m) {
            Map<String, JsonTemplate> fields = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    fields.put(k.getValue(), build(t.getValueNode(), field + "." + k.getValue(), scope, problems));
                }
            }
            return new Obj(fields);
        }
        if (node instanceof SequenceNode s) {
            List<JsonTemplate> items = new ArrayList<>();
            for (int i = 0; i < s.getValue().size(); i++) {
                items.add(build(s.getValue().get(i), field + "[" + i + "]", scope, problems));
            }
            return new Arr(items);
        }
        ScalarNode scalar = (ScalarNode) node;
        if (scalar.getTag().equals(Tag.STR) && scalar.getValue().contains("{{")) {
            TemplateText text = TemplateText.compile(scalar, field, scope, problems);
            return text == null ? new Literal(JsonNodeFactory.instance.nullNode()) : new Text(text);
        }
        return new Literal(YamlObject.toJson(scalar));
    }

    record Literal(JsonNode value) implements JsonTemplate {
        @Override
        public JsonNode render(RenderContext context) {
            return value.deepCopy();
        }
    }

    record Text(TemplateText template) implements JsonTemplate {
        @Override
        public JsonNode render(RenderContext context) {
            return JsonNodeFactory.instance.textNode(template.render(context.root()));
        }
    }

    record Obj(Map<String, JsonTemplate> fields) implements JsonTemplate {
        @Override
        public JsonNode render(RenderContext context) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            fields.forEach((k, v) -> o.set(k, v.render(context)));
            return o;
        }
    }

    record Arr(List<JsonTemplate> items) implements JsonTemplate {
        @Override
        public JsonNode render(RenderContext context) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            items.forEach(i -> a.add(i.render(context)));
            return a;
        }
    }
}
