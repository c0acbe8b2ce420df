package dev.guildhall.core.workflow.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.workflow.State;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A step's input mapping from a workflow definition, rendered against the run's state. A string
 * that is exactly {@code {{path}}} selects the JSON value at that dotted path, keeping its type
 * (an object stays an object); {@code {{path}}} inside longer text is replaced by the value's
 * text; everything else is literal. A path with nothing at it gives null (or empty text).
 */
final class StateTemplate {
    private static final Pattern WHOLE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");
    private static final Pattern TAG = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");

    private final JsonNode template;

    StateTemplate(JsonNode template) {
        this.template = template;
    }

    JsonNode render(State state) {
        return render(template, state);
    }

    private static JsonNode render(JsonNode node, State state) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), render(e.getValue(), state));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> out.add(render(item, state)));
            return out;
        }
        if (!node.isTextual()) {
            return node;
        }
        String text = node.asText();
        Matcher whole = WHOLE.matcher(text.trim());
        if (whole.matches()) {
            JsonNode value = state.at(whole.group(1));
            return value.isMissingNode() ? JsonNodeFactory.instance.nullNode() : value;
        }
        Matcher tags = TAG.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (tags.find()) {
            JsonNode value = state.at(tags.group(1));
            String replacement = value.isMissingNode() || value.isNull()
                    ? ""
                    : value.isValueNode() ? value.asText() : value.toString();
            tags.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        tags.appendTail(sb);
        return JsonNodeFactory.instance.textNode(sb.toString());
    }
}
