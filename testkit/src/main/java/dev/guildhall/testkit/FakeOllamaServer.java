package dev.guildhall.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.guildhall.core.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * A local server that speaks Ollama's native API: {@code POST /api/chat} (one JSON object, or with
 * {@code "stream": true} newline-delimited JSON chunks ending with a {@code "done": true} chunk that
 * carries {@code prompt_eval_count} and {@code eval_count}), and {@code POST /api/embed}. Tool calls
 * come as {@code message.tool_calls} with arguments as a JSON object and, like Ollama, without ids.
 *
 * <p>Each chat request consumes the next {@link FakeReply}; with none left it answers HTTP 500.
 * Embedding requests consume the next reply only when it is an error, a hang or an {@link
 * FakeReply#embeddings()} reply. Errors use Ollama's {@code {"error": "..."}} body.
 */
public final class FakeOllamaServer extends FakeModelServer {
    private static final String CREATED_AT = "2026-01-01T00:00:00.123456Z";

    private volatile int embeddingDimension = 8;

    private FakeOllamaServer() {}

    public static FakeOllamaServer start() {
        return new FakeOllamaServer();
    }

    @Override
    public FakeOllamaServer enqueue(FakeReply... next) {
        super.enqueue(next);
        return this;
    }

    /** The base URL an Ollama client is configured with: {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return rootUrl();
    }

    public FakeOllamaServer embeddingDimension(int dimension) {
        this.embeddingDimension = dimension;
        return this;
    }

    @Override
    protected void handle(HttpExchange exchange, RecordedRequest request) throws IOException {
        if ("POST".equals(request.method()) && request.path().equals("/api/chat")) {
            chat(exchange, request);
        } else if ("POST".equals(request.method()) && request.path().equals("/api/embed")) {
            embed(exchange, request);
        } else {
            sendError(exchange, 404, "404 page not found");
        }
    }

    private void chat(HttpExchange exchange, RecordedRequest request) throws IOException {
        JsonNode body = request.json();
        FakeReply reply = nextReply();
        if (reply == null) {
            sendError(exchange, 500, "no reply scripted in FakeOllamaServer");
            return;
        }
        String model = body.path("model").asText("unknown");
        switch (reply.kind()) {
            case HANG -> hang(exchange);
            case ERROR -> sendError(exchange, reply.status(), reply.text());
            case EMBEDDINGS -> sendError(exchange, 500, "an embeddings reply was scripted for a chat request");
            case ANSWER -> {
                // Ollama streams unless told otherwise.
                if (body.path("stream").asBoolean(true)) {
                    stream(exchange, model, reply);
                } else {
                    ObjectNode done = done(model, reply);
                    ObjectNode message =
                            done.putObject("message").put("role", "assistant").put("content", reply.text());
                    addToolCalls(message, reply.toolCalls());
                    sendJson(exchange, 200, done);
                }
            }
        }
    }

    private static void stream(HttpExchange exchange, String model, FakeReply reply) throws IOException {
        OutputStream out = startStream(exchange, "application/x-ndjson");
        for (String part : chunks(reply.text())) {
            ObjectNode chunk = Json.object().put("model", model).put("created_at", CREATED_AT);
            chunk.putObject("message").put("role", "assistant").put("content", part);
            chunk.put("done", false);
            line(out, chunk);
        }
        if (!reply.toolCalls().isEmpty()) {
            ObjectNode chunk = Json.object().put("model", model).put("created_at", CREATED_AT);
            ObjectNode message =
                    chunk.putObject("message").put("role", "assistant").put("content", "");
            addToolCalls(message, reply.toolCalls());
            chunk.put("done", false);
            line(out, chunk);
        }
        ObjectNode done = done(model, reply);
        done.putObject("message").put("role", "assistant").put("content", "");
        line(out, done);
        out.close();
    }

    private static ObjectNode done(String model, FakeReply reply) {
        ObjectNode done = Json.object().put("model", model).put("created_at", CREATED_AT);
        done.put("done_reason", reply.isTruncated() ? "length" : "stop").put("done", true);
        done.put("total_duration", 1_000_000).put("load_duration", 1_000);
        if (reply.reportUsage()) {
            done.put("prompt_eval_count", reply.inputTokens()).put("prompt_eval_duration", 1_000);
            done.put("eval_count", reply.outputTokens()).put("eval_duration", 1_000);
        }
        return done;
    }

    private static void addToolCalls(ObjectNode message, List<FakeToolCall> calls) {
        if (calls.isEmpty()) {
            return;
        }
        ArrayNode array = message.putArray("tool_calls");
        for (FakeToolCall call : calls) {
            ObjectNode function = array.addObject().putObject("function").put("name", call.name());
            function.set("arguments", Json.parse(call.argumentsJson()));
        }
    }

    private static void line(OutputStream out, JsonNode chunk) throws IOException {
        write(out, Json.write(chunk) + "\n");
    }

    private void embed(HttpExchange exchange, RecordedRequest request) throws IOException {
        FakeReply reply = nextReplyIf(FakeReply.Kind.ERROR, FakeReply.Kind.HANG, FakeReply.Kind.EMBEDDINGS);
        if (reply != null && reply.kind() == FakeReply.Kind.HANG) {
            hang(exchange);
            return;
        }
        if (reply != null && reply.kind() == FakeReply.Kind.ERROR) {
            sendError(exchange, reply.status(), reply.text());
            return;
        }
        JsonNode body = request.json();
        List<String> texts = inputs(body, "input");
        ObjectNode root = Json.object().put("model", body.path("model").asText("unknown"));
        ArrayNode embeddings = root.putArray("embeddings");
        long tokens = 0;
        for (String text : texts) {
            embeddings.add(toJsonArray(vectorFor(text, embeddingDimension)));
            tokens += text.isBlank() ? 1 : text.trim().split("\\s+").length;
        }
        root.put("total_duration", 1_000).put("load_duration", 1_000);
        if (reply == null || reply.reportUsage()) {
            root.put("prompt_eval_count", tokens);
        }
        sendJson(exchange, 200, root);
    }

    private static void sendError(HttpExchange exchange, int status, String message) throws IOException {
        sendJson(exchange, status, Json.object().put("error", message));
    }
}
