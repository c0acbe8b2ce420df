package dev.guildhall.core.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.json.Json;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Renders a fixed reply: output {@code {text, ...extra fields}}. */
public record TemplateFallback(
        TemplateText reply, @Nullable JsonTemplate extra, double confidence, List<String> nextSteps)
        implements Fallback {

    @Override
    public String kind() {
        return "template";
    }

    @Override
    public AgentResult run(RenderContext values, AgentContext context) {
        ObjectNode out = Json.object().put("text", reply.render(values.root()));
        if (extra != null) {
            JsonNode fields = extra.render(values);
            if (fields.isObject()) {
                out.setAll((ObjectNode) fields);
            }
        }
        return AgentResult.deterministic(out, confidence).withNextSteps(nextSteps);
    }
}
