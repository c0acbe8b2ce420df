package dev.guildhall.core.registry.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.gateway.ChatMessage;
import dev.guildhall.core.json.Json;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The values templates and rules see during one call: the task input (an object's fields, or a
 * non-object input as {@code input}), declared defaults for what it lacks, and the built-ins of
 * {@link VariableScope#BUILT_INS}. Built once per call, so it needs no locking.
 */
public final class RenderContext {
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private final Map<String, Object> root;

    private RenderContext(Map<String, Object> root) {
        this.root = root;
    }

    public static RenderContext of(AgentTask task, AgentContext context, Collection<InputSpec> inputs) {
        JsonNode input = task.input();
        Map<String, Object> root = input.isObject() ? Json.mapper().convertValue(input, MAP) : new LinkedHashMap<>();
        if (!input.isObject() && !input.isNull() && !input.isMissingNode()) {
            root.put("input", Json.mapper().convertValue(input, Object.class));
        }
        RenderContext ctx = new RenderContext(root);
        for (InputSpec spec : inputs) {
            if (spec.defaultValue() != null && ctx.lookup(spec.name()) == null) {
                ctx.put(spec.name(), Json.mapper().convertValue(spec.defaultValue(), Object.class));
            }
        }
        root.put("run", Map.of("id", context.run().value()));
        root.put("workspace", context.workspace().value());
        root.put(
                "agent",
                Map.of(
                        "id",
                        context.agent().id().value(),
                        "name",
                        context.agent().displayName()));
        root.put("today", LocalDate.now(context.clock()).toString());
        root.put("conversation", transcript(task.conversation()));
        return ctx;
    }

    public Map<String, Object> root() {
        return root;
    }

    /** The value at a dotted path (a literal key with dots wins), or null when absent. */
    public @Nullable Object lookup(String path) {
        if (root.containsKey(path)) {
            return root.get(path);
        }
        Object node = root;
        for (String part : path.split("\\.")) {
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(part)) {
                return null;
            }
            node = map.get(part);
        }
        return node;
    }

    /** The value at a dotted path as text: objects and lists as JSON, absent as empty text. */
    public String text(String path) {
        Object value = lookup(path);
        if (value == null) {
            return "";
        }
        return value instanceof Map<?, ?> || value instanceof List<?> ? Json.write(value) : String.valueOf(value);
    }

    @SuppressWarnings("unchecked") // Every map in the tree came from Jackson or from here, keyed by String.
    private void put(String path, Object value) {
        String[] parts = path.split("\\.");
        Map<String, Object> node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            Object next = node.get(parts[i]);
            if (next == null) {
                next = new LinkedHashMap<String, Object>();
                node.put(parts[i], next);
            }
            if (!(next instanceof Map<?, ?>)) {
                return; // The input has a scalar where the default wants an object; the input wins.
            }
            node = (Map<String, Object>) next;
        }
        node.put(parts[parts.length - 1], value);
    }

    private static String transcript(List<ChatMessage> conversation) {
        return conversation.stream()
                .filter(m -> m.role() == ChatMessage.Role.USER || m.role() == ChatMessage.Role.ASSISTANT)
                .map(m -> m.role().name().toLowerCase(Locale.ROOT) + ": " + m.text())
                .collect(Collectors.joining("\n"));
    }
}
