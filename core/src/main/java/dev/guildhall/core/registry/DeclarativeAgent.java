package dev.guildhall.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.NonRetryableException;
import dev.guildhall.core.RetryableException;
import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentDescriptor;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.agent.AgentUsage;
import dev.guildhall.core.gateway.ChatMessage;
import dev.guildhall.core.gateway.ChatRequest;
import dev.guildhall.core.gateway.ChatResponse;
import dev.guildhall.core.gateway.ModelUnavailableException;
import dev.guildhall.core.gateway.ToolCall;
import dev.guildhall.core.gateway.ToolSpec;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.registry.internal.AgentDefinition;
import dev.guildhall.core.registry.internal.InputSpec;
import dev.guildhall.core.registry.internal.OutputSchema;
import dev.guildhall.core.registry.internal.RenderContext;
import dev.guildhall.core.tool.Tool;
import dev.guildhall.core.tool.ToolContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An agent defined in YAML rather than in Java (see docs/AGENTS.md). With a chat model available
 * it renders its instructions, lets the model call its tools for a bounded number of rounds and
 * checks the answer against its output schema. Without one it runs its deterministic fallback and
 * says so with {@link dev.guildhall.core.agent.ResultMode#DETERMINISTIC}.
 *
 * <p>Instances come from {@link AgentRegistry.Builder#loadDefinitions}; they are immutable and
 * thread-safe.
 */
public final class DeclarativeAgent implements Agent {
    /** How many times the model may ask for tools in one call when the definition does not say. */
    public static final int DEFAULT_MAX_TOOL_ROUNDS = AgentDefinition.DEFAULT_MAX_TOOL_ROUNDS;

    /** The confidence of a model answer that does not report its own {@code confidence} field. */
    public static final double UNREPORTED_MODEL_CONFIDENCE = 1.0;

    private final AgentDefinition definition;

    DeclarativeAgent(AgentDefinition definition) {
        this.definition = definition;
    }

    @Override
    public AgentDescriptor descriptor() {
        return definition.descriptor();
    }

    /** The names of the tools the model may call, in definition order. */
    public List<String> tools() {
        return definition.tools();
    }

    /** The JSON Schema the model's answer must match, if the definition has one. */
    public Optional<JsonNode> outputSchema() {
        return Optional.ofNullable(definition.outputSchema()).map(JsonNode::deepCopy);
    }

    /** The fallback's kind ({@code template}, {@code rules}, {@code classify}, {@code retrieve}, {@code escalate}), if any. */
    public Optional<String> fallbackKind() {
        return Optional.ofNullable(definition.fallback()).map(f -> f.kind());
    }

    /**
     * Runs the agent.
     *
     * @throws NonRetryableException when a required input is missing, when the model keeps asking
     *     for tools past {@code maxToolRounds}, or when its answer still does not match the output
     *     schema after one repair attempt
     * @throws ModelUnavailableException when no chat model is available and the definition has no fallback
     */
    @Override
    public AgentResult run(AgentTask task, AgentContext context) {
        RenderContext values = RenderContext.of(task, context, definition.inputs());
        checkRequiredInputs(values);
        if (context.modelAvailable()) {
            try {
                return runWithModel(task, context, values);
            } catch (FirstCallUnavailable e) {
                if (definition.fallback() == null) {
                    throw e.original;
                }
                // The gateway serves no provider for this policy after all; nothing was spent or done yet.
                context.log()
                        .info(
                                "Run(id={}, step={}) agent {} falls back: {}",
                                context.run(),
                                context.step(),
                                descriptor().id(),
                                e.original.getMessage());
            }
        }
        if (definition.fallback() == null) {
            throw new ModelUnavailableException(
                    "Agent %s (%s) needs a chat model: none is available and it defines no fallback"
                            .formatted(descriptor().id(), descriptor().source()));
        }
        return definition.fallback().run(values, context);
    }

    private void checkRequiredInputs(RenderContext values) {
        List<String> missing = new ArrayList<>();
        for (InputSpec input : definition.inputs()) {
            if (input.required() && values.lookup(input.name()) == null) {
                missing.add(input.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new NonRetryableException("Agent %s (%s) needs input %s, missing from the task"
                    .formatted(descriptor().id(), descriptor().source(), String.join(", ", missing)));
        }
    }

    private AgentResult runWithModel(AgentTask task, AgentContext context, RenderContext values) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(ChatMessage.system(
                definition.instructions() == null
                        ? ""
                        : definition.instructions().render(values.root())));
        messages.addAll(task.conversation());
        if (definition.prompt() != null) {
            messages.add(ChatMessage.user(definition.prompt().render(values.root())));
        } else if (task.conversation().isEmpty()) {
            messages.add(
                    ChatMessage.user(task.input().isTextual() ? task.input().asText() : Json.write(task.input())));
        }
        List<ToolSpec> specs = definition.tools().stream()
                .map(name -> context.tools().get(name).spec())
                .toList();
        JsonNode schema = definition.outputSchema();
        AgentUsage usage = AgentUsage.NONE;
        Map<String, Integer> callsPerTool = new HashMap<>();
        int toolRounds = 0;
        boolean repaired = false;
        while (true) {
            ChatRequest request =
                    new ChatRequest(messages, specs, schema, definition.maxOutputTokens(), definition.temperature());
            ChatResponse response;
            try {
                response = context.chat(request);
            } catch (ModelUnavailableException e) {
                if (usage.modelCalls() == 0) {
                    throw new FirstCallUnavailable(e);
                }
                throw e;
            }
            usage = usage.plus(response);
            if (response.hasToolCalls()) {
                toolRounds++;
                if (toolRounds > definition.maxToolRounds()) {
                    throw new NonRetryableException(
                            "Agent %s (%s) asked for tools in more than %d rounds; raise maxToolRounds or narrow its instructions"
                                    .formatted(descriptor().id(), descriptor().source(), definition.maxToolRounds()));
                }
                messages.add(ChatMessage.assistant(response.text(), response.toolCalls()));
                for (ToolCall call : response.toolCalls()) {
                    messages.add(ChatMessage.toolResult(call, invoke(call, context, callsPerTool)));
                }
                continue;
            }
            if (schema == null) {
                return AgentResult.generated(
                        Json.object().put("text", response.text()), UNREPORTED_MODEL_CONFIDENCE, usage);
            }
            JsonNode output;
            String problem;
            try {
                output = Json.parse(stripFences(response.text()));
                List<String> problems = OutputSchema.validate(output, schema);
                problem = problems.isEmpty()
                        ? null
                        : "it does not match the output schema: " + String.join("; ", problems);
            } catch (IllegalArgumentException e) {
                output = null;
                problem = "it is not valid JSON (" + e.getMessage() + ")";
            }
            if (problem == null) {
                return result(output, usage);
            }
            if (repaired) {
                throw new NonRetryableException(
                        "Agent %s (%s) answered twice without matching its output schema; last answer: %s"
                                .formatted(descriptor().id(), descriptor().source(), problem));
            }
            repaired = true;
            messages.add(ChatMessage.assistant(response.text()));
            messages.add(ChatMessage.user("Your answer cannot be used because " + problem
                    + ". Reply again with only a JSON value that matches the output schema."));
        }
    }

    /**
     * Calls one tool the model asked for. Each call gets its own idempotency key, {@code
     * run:step:tool:n} for the n-th call of that tool in this step, so a retried step repeats the
     * same keys while two calls in one step never share one. Tool failures other than retryable ones
     * go back to the model as {@code {"error": ...}} so that it can correct its arguments.
     */
    private String invoke(ToolCall call, AgentContext context, Map<String, Integer> callsPerTool) {
        if (!definition.tools().contains(call.name())) {
            return error("tool '" + call.name() + "' is not available to this agent; available: "
                    + String.join(", ", definition.tools()));
        }
        JsonNode arguments;
        try {
            arguments = Json.parse(call.argumentsJson());
        } catch (IllegalArgumentException e) {
            return error("arguments are not valid JSON: " + e.getMessage());
        }
        Tool tool = context.tools().get(call.name());
        int n = callsPerTool.merge(call.name(), 1, Integer::sum);
        ToolContext toolContext = new ToolContext(
                context.workspace(), context.run(), context.idempotencyKey() + ":" + call.name() + ":" + n);
        try {
            return Json.write(tool.invoke(arguments, toolContext));
        } catch (RetryableException e) {
            throw e;
        } catch (RuntimeException e) {
            context.log()
                    .info(
                            "Run(id={}, step={}) tool {} failed: {}",
                            context.run(),
                            context.step(),
                            call.name(),
                            e.toString());
            return error(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static String error(String message) {
        return Json.write(Json.object().put("error", message));
    }

    private static AgentResult result(JsonNode output, AgentUsage usage) {
        double confidence = UNREPORTED_MODEL_CONFIDENCE;
        JsonNode reported = output.path("confidence");
        if (reported.isNumber() && reported.asDouble() >= 0 && reported.asDouble() <= 1) {
            confidence = reported.asDouble();
        }
        AgentResult result = AgentResult.generated(output, confidence, usage);
        return output.path("escalate").asBoolean(false) ? result.withNextSteps(List.of(AgentResult.ESCALATE)) : result;
    }

    /** Models often wrap JSON in a Markdown code fence even when told not to. */
    static String stripFences(String text) {
        String t = text.strip();
        if (t.startsWith("```")) {
            int firstNewline = t.indexOf('\n');
            int lastFence = t.lastIndexOf("```");
            if (firstNewline > 0 && lastFence > firstNewline) {
                return t.substring(firstNewline + 1, lastFence).strip();
            }
        }
        return t;
    }

    @Override
    public String toString() {
        return "DeclarativeAgent[" + descriptor().id() + " from " + descriptor().source() + "]";
    }

    /** Carries a first-call ModelUnavailableException out of the loop, so the caller may take the fallback. */
    private static final class FirstCallUnavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ModelUnavailableException original;

        FirstCallUnavailable(ModelUnavailableException original) {
            super(null, null, false, false);
            this.original = original;
        }
    }
}
