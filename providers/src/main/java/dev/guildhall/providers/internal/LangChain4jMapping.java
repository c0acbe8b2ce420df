package dev.guildhall.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.gateway.ChatMessage;
import dev.guildhall.core.gateway.ChatRequest;
import dev.guildhall.core.gateway.ChatResponse.FinishReason;
import dev.guildhall.core.gateway.ProviderResult;
import dev.guildhall.core.gateway.TokenUsage;
import dev.guildhall.core.gateway.ToolCall;
import dev.guildhall.core.gateway.ToolSpec;
import dev.guildhall.core.json.Json;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Converts Guildhall's gateway values to LangChain4j's and back. Stateless. */
public final class LangChain4jMapping {
    /** The keywords LangChain4j can represent at the root of a tool's parameter schema. */
    private static final Set<String> ROOT_KEYS =
            Set.of("type", "description", "properties", "required", "additionalProperties", "$defs");

    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    static final String DEFAULT_SCHEMA_NAME = "response";

    private LangChain4jMapping() {}

    /** The LangChain4j request for {@code request} sent to {@code model}. */
    public static dev.langchain4j.model.chat.request.ChatRequest toLangChain4j(String model, ChatRequest request) {
        dev.langchain4j.model.chat.request.ChatRequest.Builder builder =
                dev.langchain4j.model.chat.request.ChatRequest.builder()
                        .messages(messages(request.messages()))
                        .modelName(model)
                        .maxOutputTokens(request.maxOutputTokens())
                        .temperature(request.temperature());
        if (!request.tools().isEmpty()) {
            builder.toolSpecifications(
                    request.tools().stream().map(LangChain4jMapping::tool).toList());
        }
        if (request.responseSchema() != null) {
            builder.responseFormat(responseFormat(request.responseSchema()));
        }
        return builder.build();
    }

    static List<dev.langchain4j.data.message.ChatMessage> messages(List<ChatMessage> messages) {
        List<dev.langchain4j.data.message.ChatMessage> result = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            switch (m.role()) {
                case SYSTEM -> {
                    if (!m.text().isBlank()) {
                        result.add(SystemMessage.from(m.text()));
                    }
                }
                case USER -> result.add(UserMessage.from(m.text()));
                case ASSISTANT ->
                    result.add(AiMessage.builder()
                            .text(m.text().isEmpty() ? null : m.text())
                            .toolExecutionRequests(m.toolCalls().stream()
                                    .map(c -> ToolExecutionRequest.builder()
                                            .id(c.id())
                                            .name(c.name())
                                            .arguments(c.argumentsJson())
                                            .build())
                                    .toList())
                            .build());
                case TOOL ->
                    result.add(ToolExecutionResultMessage.from(
                            m.toolCallId(), m.toolName() == null ? "" : m.toolName(), m.text()));
            }
        }
        return result;
    }

    /**
     * The LangChain4j form of {@code spec}. Root keywords LangChain4j cannot carry (e.g. {@code
     * $schema}, {@code title}) are dropped; nested ones are kept verbatim.
     */
    static ToolSpecification tool(ToolSpec spec) {
        ObjectNode parameters = Json.object();
        spec.parameters().properties().forEach(field -> {
            boolean booleanAdditional = !"additionalProperties".equals(field.getKey())
                    || field.getValue().isBoolean();
            if (ROOT_KEYS.contains(field.getKey()) && booleanAdditional) {
                parameters.set(field.getKey(), field.getValue());
            }
        });
        parameters.put("type", "object");
        ObjectNode json = Json.object().put("name", spec.name());
        if (!spec.description().isEmpty()) {
            json.put("description", spec.description());
        }
        json.set("parameters", parameters);
        return ToolSpecification.fromJson(Json.write(json));
    }

    /** Structured output as a JSON schema, passed through verbatim; named after its {@code title} when that is a valid name. */
    static ResponseFormat responseFormat(JsonNode schema) {
        String title = schema.path("title").asText("");
        String name = SCHEMA_NAME.matcher(title).matches() ? title : DEFAULT_SCHEMA_NAME;
        return ResponseFormat.builder()
                .type(ResponseFormatType.JSON)
                .jsonSchema(JsonSchema.builder()
                        .name(name)
                        .rootElement(JsonRawSchema.from(Json.write(schema)))
                        .build())
                .build();
    }

    /** What a LangChain4j answer means for the gateway. */
    public static ProviderResult fromLangChain4j(dev.langchain4j.model.chat.response.ChatResponse response) {
        AiMessage message = response.aiMessage();
        List<ToolCall> calls = new ArrayList<>();
        List<ToolExecutionRequest> requests =
                message.toolExecutionRequests() == null ? List.of() : message.toolExecutionRequests();
        for (int i = 0; i < requests.size(); i++) {
            ToolExecutionRequest r = requests.get(i);
            // Some servers (Ollama) send tool calls without ids; the conversation still needs one to answer them.
            String id = r.id() == null || r.id().isBlank() ? "call_" + i : r.id();
            calls.add(new ToolCall(id, r.name(), compact(r.arguments())));
        }
        String text = message.text() == null ? "" : message.text();
        return new ProviderResult(
                text, calls, finishReason(response.finishReason(), !calls.isEmpty()), usage(response.tokenUsage()));
    }

    /** Arguments as compact JSON, whatever whitespace the provider's client used; left alone when not JSON. */
    static @Nullable String compact(@Nullable String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return arguments;
        }
        try {
            return Json.write(Json.parse(arguments));
        } catch (IllegalArgumentException notJson) {
            return arguments;
        }
    }

    static FinishReason finishReason(dev.langchain4j.model.output.@Nullable FinishReason reason, boolean hasToolCalls) {
        if (reason == null) {
            return hasToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        }
        return switch (reason) {
            case STOP -> hasToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
            case LENGTH -> FinishReason.LENGTH;
            case TOOL_EXECUTION -> FinishReason.TOOL_CALLS;
            case CONTENT_FILTER -> FinishReason.CONTENT_FILTER;
            case OTHER -> FinishReason.OTHER;
        };
    }

    /** The reported usage, or null when the provider reported none (no usage, or zero of both). */
    static @Nullable TokenUsage usage(dev.langchain4j.model.output.@Nullable TokenUsage usage) {
        if (usage == null) {
            return null;
        }
        long in = usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        long out = usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        return in == 0 && out == 0 ? null : new TokenUsage(in, out, false);
    }
}
