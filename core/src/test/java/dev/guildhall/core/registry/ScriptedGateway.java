package dev.guildhall.core.registry;

import dev.guildhall.core.gateway.ChatRequest;
import dev.guildhall.core.gateway.ChatResponse;
import dev.guildhall.core.gateway.EmbeddingResponse;
import dev.guildhall.core.gateway.ModelCall;
import dev.guildhall.core.gateway.ModelGateway;
import dev.guildhall.core.gateway.ModelUnavailableException;
import dev.guildhall.core.gateway.StreamListener;
import dev.guildhall.core.gateway.TokenUsage;
import dev.guildhall.core.gateway.ToolCall;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A gateway that answers from a script, for testing the declarative agent's tool loop only; real
 * providers are tested by the gateway module against fake HTTP servers.
 */
final class ScriptedGateway implements ModelGateway {
    private final Deque<Object> script = new ArrayDeque<>();
    final List<ChatRequest> requests = new ArrayList<>();
    final List<ModelCall> calls = new ArrayList<>();

    ScriptedGateway replies(String text) {
        script.add(response(text, List.of()));
        return this;
    }

    ScriptedGateway callsTool(String id, String name, String argumentsJson) {
        script.add(response("", List.of(new ToolCall(id, name, argumentsJson))));
        return this;
    }

    ScriptedGateway isUnavailable() {
        script.add(new ModelUnavailableException("no provider serves policy standard"));
        return this;
    }

    private static ChatResponse response(String text, List<ToolCall> calls) {
        return new ChatResponse(
                text,
                calls,
                calls.isEmpty() ? ChatResponse.FinishReason.STOP : ChatResponse.FinishReason.TOOL_CALLS,
                new TokenUsage(100, 20, false),
                "scripted",
                "scripted-1",
                Duration.ofMillis(5),
                new BigDecimal("0.001"),
                false);
    }

    @Override
    public boolean chatAvailable() {
        return true;
    }

    @Override
    public boolean embeddingsAvailable() {
        return false;
    }

    @Override
    public ChatResponse chat(ModelCall call, ChatRequest request) {
        calls.add(call);
        requests.add(request);
        Object next = script.poll();
        if (next == null) {
            throw new AssertionError("the script has no answer left for request " + requests.size());
        }
        if (next instanceof RuntimeException e) {
            throw e;
        }
        return (ChatResponse) next;
    }

    @Override
    public ChatResponse chatStreaming(ModelCall call, ChatRequest request, StreamListener listener) {
        return chat(call, request);
    }

    @Override
    public EmbeddingResponse embed(ModelCall call, List<String> texts) {
        throw new ModelUnavailableException("no embeddings in this script");
    }
}
