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
 * A local server that speaks the OpenAI HTTP API, for tests of OpenAI and OpenAI-compatible clients:
 *
 * <ul>
 *   <li>{@code POST /v1/chat/completions}: a {@code chat.completion} JSON answer with {@code usage};
 *       with {@code "stream": true}, {@code text/event-stream} {@code chat.completion.chunk} events
 *       with content and tool-call deltas, a final chunk carrying {@code usage} when the request set
 *       {@code stream_options.include_usage} (and the reply reports usage), then {@code data: [DONE]};
 *   <li>{@code POST /v1/embeddings}: deterministic vectors with {@code usage.prompt_tokens}.
 * </ul>
 *
 * <p>Each chat request consumes the next {@link FakeReply}; with none left it answers HTTP 500 "no
 * reply scripted". Embedding requests consume the next reply only when it is an error, a hang or an
 * {@link FakeReply#embeddings()} reply. Error replies use OpenAI's {@code {"error": {...}}} body.
 *
 * <pre>{@code
 * try (FakeOpenAiServer openai = FakeOpenAiServer.start()) {
 *     openai.enqueue(FakeReply.rateLimited(Duration.ofSeconds(1)), FakeReply.text("Paris").withUsage(12, 1));
 *     ... point the client at openai.baseUrl() ...
 *     assertThat(openai.lastRequest().json().path("model").asText()).isEqualTo("gpt-4o-mini");
 * }
 * }</pre>
 */
public final class FakeOpenAiServer extends FakeModelServer {
    /** The {@code created} timestamp of every answer (2026-01-01T00:00:00Z), so answers are reproducible. */
    static final long CREATED = 1_767_225_600L;

    private volatile int embeddingDimension = 8;

    private FakeOpenAiServer() {}

    public static FakeOpenAiServer start() {
        return new FakeOpenAiServer();
    }

    @Override
    public FakeOpenAiServer enqueue(FakeReply... next) {
        super.enqueue(next);
        return this;
    }

    /** The base URL an OpenAI client is configured with: {@code http://127.0.0.1:<port>/v1}. */
    public String baseUrl() {
        return rootUrl() + "/v1";
    }

    /** The length of the vectors the embeddings endpoint returns (8 unless set). */
    public FakeOpenAiServer embeddingDimension(int dimension) {
        this.embeddingDimension = dimension;
        return this;
    }

    @Override
    protected void handle(HttpExchange exchange, RecordedRequest request) throws IOException {
        String path = request.path();
        if (!"POST".equals(request.method())) {
            sendError(exchange, 405, "method not allowed", null);
        } else if (path.endsWith("/chat/completions")) {
            chatCompletion(exchange, request);
        } else if (path.endsWith("/embeddings")) {
            embeddings(exchange, request);
        } else {
            sendError(exchange, 404, "Invalid URL (POST " + path + ")", null);
        }
    }

    private void chatCompletion(HttpExchange exchange, RecordedRequest request) throws IOException {
        JsonNode body = request.json();
        FakeReply reply = nextReply();
        if (reply == null) {
            sendError(exchange, 500, "no reply scripted in FakeOpenAiServer", null);
            return;
        }
        switch (reply.kind()) {
            case HANG -> hang(exchange);
            case ERROR -> sendError(exchange, reply.status(), reply.text(), reply);
            case EMBEDDINGS -> sendError(exchange, 500, "an embeddings reply was scripted for a chat request", null);
            case ANSWER -> {
                String model = body.path("model").asText("unknown");
                if (body.path("stream").asBoolean(false)) {
                    boolean includeUsage =
                            body.path("stream_options").path("include_usage").asBoolean(false);
                    stream(exchange, model, reply, includeUsage);
                } else {
                    sendJson(exchange, 200, completion(model, reply));
                }
            }
        }
    }

    private static ObjectNode completion(String model, FakeReply reply) {
        ObjectNode message = Json.object().put("role", "assistant");
        if (reply.text().isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", reply.text());
        }
        if (!reply.toolCalls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (FakeToolCall call : reply.toolCalls()) {
                ObjectNode c = calls.addObject().put("id", call.id()).put("type", "function");
                c.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
            }
        }
        message.putNull("refusal");
        ObjectNode root = Json.object()
                .put("id", "chatcmpl-fake")
                .put("object", "chat.completion")
                .put("created", CREATED)
                .put("model", model);
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        choice.set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(reply));
        if (reply.reportUsage()) {
            root.set("usage", usage(reply));
        }
        root.put("system_fingerprint", "fp_fake");
        return root;
    }

    private void stream(HttpExchange exchange, String model, FakeReply reply, boolean includeUsage) throws IOException {
        OutputStream out = startStream(exchange, "text/event-stream");
        ObjectNode first = chunk(model, Json.object().put("role", "assistant").put("content", ""), null);
        event(out, first);
        for (String part : chunks(reply.text())) {
            event(out, chunk(model, Json.object().put("content", part), null));
        }
        for (int i = 0; i < reply.toolCalls().size(); i++) {
            FakeToolCall call = reply.toolCalls().get(i);
            ObjectNode start = Json.object();
            ObjectNode startCall = start.putArray("tool_calls")
                    .addObject()
                    .put("index", i)
                    .put("id", call.id())
                    .put("type", "function");
            startCall.putObject("function").put("name", call.name()).put("arguments", "");
            event(out, chunk(model, start, null));
            String args = call.argumentsJson();
            int half = args.length() / 2;
            for (String piece : List.of(args.substring(0, half), args.substring(half))) {
                ObjectNode delta = Json.object();
                delta.putArray("tool_calls")
                        .addObject()
                        .put("index", i)
                        .putObject("function")
                        .put("arguments", piece);
                event(out, chunk(model, delta, null));
            }
        }
        event(out, chunk(model, Json.object(), finishReason(reply)));
        if (includeUsage && reply.reportUsage()) {
            ObjectNode usageChunk = Json.object()
                    .put("id", "chatcmpl-fake")
                    .put("object", "chat.completion.chunk")
                    .put("created", CREATED)
                    .put("model", model);
            usageChunk.putArray("choices");
            usageChunk.set("usage", usage(reply));
            event(out, usageChunk);
        }
        write(out, "data: [DONE]\n\n");
        out.close();
    }

    private static ObjectNode chunk(String model, ObjectNode delta, String finishReason) {
        ObjectNode root = Json.object()
                .put("id", "chatcmpl-fake")
                .put("object", "chat.completion.chunk")
                .put("created", CREATED)
                .put("model", model)
                .put("system_fingerprint", "fp_fake");
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return root;
    }

    private static void event(OutputStream out, JsonNode data) throws IOException {
        write(out, "data: " + Json.write(data) + "\n\n");
    }

    private void embeddings(HttpExchange exchange, RecordedRequest request) throws IOException {
        FakeReply reply = nextReplyIf(FakeReply.Kind.ERROR, FakeReply.Kind.HANG, FakeReply.Kind.EMBEDDINGS);
        if (reply != null && reply.kind() == FakeReply.Kind.HANG) {
            hang(exchange);
            return;
        }
        if (reply != null && reply.kind() == FakeReply.Kind.ERROR) {
            sendError(exchange, reply.status(), reply.text(), reply);
            return;
        }
        JsonNode body = request.json();
        List<String> texts = inputs(body, "input");
        ObjectNode root = Json.object().put("object", "list");
        ArrayNode data = root.putArray("data");
        long tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            item.set("embedding", toJsonArray(vectorFor(texts.get(i), embeddingDimension)));
            tokens += texts.get(i).isBlank() ? 1 : texts.get(i).trim().split("\\s+").length;
        }
        root.put("model", body.path("model").asText("unknown"));
        if (reply == null || reply.reportUsage()) {
            root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        }
        sendJson(exchange, 200, root);
    }

    private static ObjectNode usage(FakeReply reply) {
        return Json.object()
                .put("prompt_tokens", reply.inputTokens())
                .put("completion_tokens", reply.outputTokens())
                .put("total_tokens", reply.inputTokens() + reply.outputTokens());
    }

    private static String finishReason(FakeReply reply) {
        if (reply.isTruncated()) {
            return "length";
        }
        return reply.toolCalls().isEmpty() ? "stop" : "tool_calls";
    }

    private static void sendError(HttpExchange exchange, int status, String message, FakeReply reply)
            throws IOException {
        String type =
                switch (status) {
                    case 429 -> "rate_limit_exceeded";
                    case 401 -> "invalid_api_key";
                    default -> status >= 500 ? "server_error" : "invalid_request_error";
                };
        ObjectNode root = Json.object();
        root.putObject("error")
                .put("message", message)
                .put("type", type)
                .putNull("param")
                .put("code", type);
        sendJson(exchange, status, root, reply == null ? java.util.Map.of() : retryAfterHeader(reply));
    }
}
