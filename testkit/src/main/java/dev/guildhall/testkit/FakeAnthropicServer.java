package dev.guildhall.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.guildhall.core.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * A local server that speaks the Anthropic Messages API, {@code POST /v1/messages}: a {@code message}
 * JSON answer with {@code text} and {@code tool_use} content blocks and {@code usage}; with {@code
 * "stream": true}, the server-sent events {@code message_start} (with {@code usage.input_tokens}),
 * {@code content_block_start}, {@code ping}, {@code content_block_delta} ({@code text_delta} or
 * {@code input_json_delta}), {@code content_block_stop}, {@code message_delta} (with {@code
 * stop_reason} and {@code usage.output_tokens}) and {@code message_stop}.
 *
 * <p>Each request consumes the next {@link FakeReply}; with none left it answers HTTP 500. Error
 * replies use Anthropic's {@code {"type": "error", "error": {...}}} body.
 */
public final class FakeAnthropicServer extends FakeModelServer {

    private FakeAnthropicServer() {}

    public static FakeAnthropicServer start() {
        return new FakeAnthropicServer();
    }

    @Override
    public FakeAnthropicServer enqueue(FakeReply... next) {
        super.enqueue(next);
        return this;
    }

    /** The base URL an Anthropic client is configured with: {@code http://127.0.0.1:<port>/v1/}. */
    public String baseUrl() {
        return rootUrl() + "/v1/";
    }

    @Override
    protected void handle(HttpExchange exchange, RecordedRequest request) throws IOException {
        if (!"POST".equals(request.method()) || !request.path().endsWith("/messages")) {
            sendError(
                    exchange,
                    404,
                    "not_found_error",
                    "Not found: " + request.method() + " " + request.path(),
                    Map.of());
            return;
        }
        FakeReply reply = nextReply();
        if (reply == null) {
            sendError(exchange, 500, "api_error", "no reply scripted in FakeAnthropicServer", Map.of());
            return;
        }
        JsonNode body = request.json();
        switch (reply.kind()) {
            case HANG -> hang(exchange);
            case ERROR ->
                sendError(exchange, reply.status(), errorType(reply.status()), reply.text(), retryAfterHeader(reply));
            case EMBEDDINGS -> sendError(exchange, 500, "api_error", "Anthropic has no embeddings", Map.of());
            case ANSWER -> {
                String model = body.path("model").asText("unknown");
                if (body.path("stream").asBoolean(false)) {
                    stream(exchange, model, reply);
                } else {
                    sendJson(exchange, 200, message(model, reply));
                }
            }
        }
    }

    private static ObjectNode message(String model, FakeReply reply) {
        ObjectNode root = Json.object()
                .put("id", "msg_fake")
                .put("type", "message")
                .put("role", "assistant")
                .put("model", model);
        ArrayNode content = root.putArray("content");
        if (!reply.text().isEmpty()) {
            content.addObject().put("type", "text").put("text", reply.text());
        }
        for (FakeToolCall call : reply.toolCalls()) {
            ObjectNode block = content.addObject()
                    .put("type", "tool_use")
                    .put("id", call.id())
                    .put("name", call.name());
            block.set("input", Json.parse(call.argumentsJson()));
        }
        root.put("stop_reason", stopReason(reply));
        root.putNull("stop_sequence");
        if (reply.reportUsage()) {
            root.putObject("usage").put("input_tokens", reply.inputTokens()).put("output_tokens", reply.outputTokens());
        }
        return root;
    }

    private static void stream(HttpExchange exchange, String model, FakeReply reply) throws IOException {
        OutputStream out = startStream(exchange, "text/event-stream; charset=utf-8");
        ObjectNode start = Json.object().put("type", "message_start");
        ObjectNode message = start.putObject("message")
                .put("id", "msg_fake")
                .put("type", "message")
                .put("role", "assistant")
                .put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        if (reply.reportUsage()) {
            message.putObject("usage").put("input_tokens", reply.inputTokens()).put("output_tokens", 1);
        }
        event(out, "message_start", start);
        int index = 0;
        if (!reply.text().isEmpty()) {
            ObjectNode blockStart =
                    Json.object().put("type", "content_block_start").put("index", index);
            blockStart.putObject("content_block").put("type", "text").put("text", "");
            event(out, "content_block_start", blockStart);
            event(out, "ping", Json.object().put("type", "ping"));
            for (String part : chunks(reply.text())) {
                ObjectNode delta =
                        Json.object().put("type", "content_block_delta").put("index", index);
                delta.putObject("delta").put("type", "text_delta").put("text", part);
                event(out, "content_block_delta", delta);
            }
            event(
                    out,
                    "content_block_stop",
                    Json.object().put("type", "content_block_stop").put("index", index));
            index++;
        }
        for (FakeToolCall call : reply.toolCalls()) {
            ObjectNode blockStart =
                    Json.object().put("type", "content_block_start").put("index", index);
            ObjectNode block = blockStart
                    .putObject("content_block")
                    .put("type", "tool_use")
                    .put("id", call.id())
                    .put("name", call.name());
            block.putObject("input");
            event(out, "content_block_start", blockStart);
            String args = call.argumentsJson();
            int half = args.length() / 2;
            for (String piece : List.of(args.substring(0, half), args.substring(half))) {
                ObjectNode delta =
                        Json.object().put("type", "content_block_delta").put("index", index);
                delta.putObject("delta").put("type", "input_json_delta").put("partial_json", piece);
                event(out, "content_block_delta", delta);
            }
            event(
                    out,
                    "content_block_stop",
                    Json.object().put("type", "content_block_stop").put("index", index));
            index++;
        }
        ObjectNode messageDelta = Json.object().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", stopReason(reply)).putNull("stop_sequence");
        if (reply.reportUsage()) {
            messageDelta.putObject("usage").put("output_tokens", reply.outputTokens());
        }
        event(out, "message_delta", messageDelta);
        event(out, "message_stop", Json.object().put("type", "message_stop"));
        out.close();
    }

    private static void event(OutputStream out, String name, JsonNode data) throws IOException {
        write(out, "event: " + name + "\ndata: " + Json.write(data) + "\n\n");
    }

    private static String stopReason(FakeReply reply) {
        if (reply.isTruncated()) {
            return "max_tokens";
        }
        return reply.toolCalls().isEmpty() ? "end_turn" : "tool_use";
    }

    private static String errorType(int status) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> "api_error";
        };
    }

    private static void sendError(
            HttpExchange exchange, int status, String type, String message, Map<String, String> headers)
            throws IOException {
        ObjectNode root = Json.object().put("type", "error");
        root.putObject("error").put("type", type).put("message", message);
        sendJson(exchange, status, root, headers);
    }
}
