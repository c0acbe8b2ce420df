package dev.guildhall.providers.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.gateway.ChatMessage;
import dev.guildhall.core.gateway.ChatRequest;
import dev.guildhall.core.gateway.ChatResponse.FinishReason;
import dev.guildhall.core.gateway.ProviderRejectedException;
import dev.guildhall.core.gateway.ProviderResult;
import dev.guildhall.core.gateway.ProviderUnavailableException;
import dev.guildhall.core.gateway.RateLimitedException;
import dev.guildhall.core.gateway.TokenUsage;
import dev.guildhall.core.gateway.ToolCall;
import dev.guildhall.core.gateway.ToolSpec;
import dev.guildhall.core.json.Json;
import dev.guildhall.testkit.FakeAnthropicServer;
import dev.guildhall.testkit.FakeReply;
import dev.guildhall.testkit.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnthropicChatProviderIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ToolSpec LOOKUP = new ToolSpec(
            "lookup_order",
            "Find an order by id",
            Json.parse(
                    "{\"type\":\"object\",\"properties\":{\"orderId\":{\"type\":\"string\"}},\"required\":[\"orderId\"]}"));

    private final FakeAnthropicServer server = FakeAnthropicServer.start();
    private final AnthropicChatProvider provider =
            new AnthropicChatProvider("anthropic", server.baseUrl(), "sk-ant-test");

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void chats_with_the_system_prompt_apart_and_reports_usage() {
        server.enqueue(FakeReply.text("Bonjour !").withUsage(30, 4));
        ChatRequest request = new ChatRequest(
                List.of(ChatMessage.system("Reply in French."), ChatMessage.user("Hello")), List.of(), null, 200, 0.2);

        ProviderResult result = provider.chat("claude-sonnet-4-5", request, TIMEOUT);

        assertThat(result.text()).isEqualTo("Bonjour !");
        assertThat(result.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(result.usage()).isEqualTo(new TokenUsage(30, 4, false));
        RecordedRequest sent = server.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-test");
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        JsonNode body = sent.json();
        assertThat(body.path("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(200);
        assertThat(body.path("system").toString()).contains("Reply in French.");
        assertThat(body.path("messages")).hasSize(1);
        assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("user");
    }

    @Test
    void round_trips_a_tool_use_block() {
        server.enqueue(
                FakeReply.toolCall("toolu_01", "lookup_order", "{\"orderId\":\"A-17\"}")
                        .withText("Let me check.")
                        .withUsage(90, 20),
                FakeReply.text("Order A-17 shipped yesterday.").withUsage(140, 8));
        ChatRequest ask =
                ChatRequest.of(ChatMessage.user("Where is order A-17?")).withTools(List.of(LOOKUP));

        ProviderResult first = provider.chat("claude-sonnet-4-5", ask, TIMEOUT);

        assertThat(first.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(first.text()).isEqualTo("Let me check.");
        assertThat(first.toolCalls())
                .containsExactly(new ToolCall("toolu_01", "lookup_order", "{\"orderId\":\"A-17\"}"));
        JsonNode tool = server.lastRequest().json().path("tools").get(0);
        assertThat(tool.path("name").asText()).isEqualTo("lookup_order");
        assertThat(tool.path("input_schema")
                        .path("properties")
                        .path("orderId")
                        .path("type")
                        .asText())
                .isEqualTo("string");

        ProviderResult second = provider.chat(
                "claude-sonnet-4-5",
                ask.withMessages(List.of(
                        ChatMessage.user("Where is order A-17?"),
                        ChatMessage.assistant(first.text(), first.toolCalls()),
                        ChatMessage.toolResult(first.toolCalls().get(0), "{\"status\":\"shipped\"}"))),
                TIMEOUT);

        assertThat(second.text()).isEqualTo("Order A-17 shipped yesterday.");
        JsonNode messages = server.lastRequest().json().path("messages");
        assertThat(messages.get(1).path("content").toString())
                .contains("\"type\":\"tool_use\"")
                .contains("toolu_01");
        assertThat(messages.get(2).path("content").get(0).path("type").asText()).isEqualTo("tool_result");
        assertThat(messages.get(2).path("content").get(0).path("tool_use_id").asText())
                .isEqualTo("toolu_01");
    }

    @Test
    void asks_for_json_output_with_the_schema() {
        server.enqueue(FakeReply.text("{\"sentiment\":\"positive\"}"));
        JsonNode schema = Json.parse(
                "{\"type\":\"object\",\"properties\":{\"sentiment\":{\"type\":\"string\",\"enum\":[\"positive\",\"negative\"]}},"
                        + "\"required\":[\"sentiment\"]}");

        ProviderResult result = provider.chat(
                "claude-haiku-4-5",
                ChatRequest.of(ChatMessage.user("I love it")).withResponseSchema(schema),
                TIMEOUT);

        assertThat(Json.parse(result.text()).path("sentiment").asText()).isEqualTo("positive");
        JsonNode format = server.lastRequest().json().path("output_config").path("format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.path("schema").path("properties").path("sentiment").path("enum"))
                .hasSize(2);
    }

    @Test
    void streams_text_with_usage_from_message_start_and_message_delta() {
        server.enqueue(FakeReply.text("Streaming works fine.").withUsage(44, 6));
        List<String> parts = new CopyOnWriteArrayList<>();

        ProviderResult result =
                provider.stream("claude-sonnet-4-5", ChatRequest.of(ChatMessage.user("Test")), parts::add, TIMEOUT);

        assertThat(String.join("", parts)).isEqualTo("Streaming works fine.");
        assertThat(result.text()).isEqualTo("Streaming works fine.");
        assertThat(result.usage()).isEqualTo(new TokenUsage(44, 6, false));
        assertThat(server.lastRequest().json().path("stream").asBoolean()).isTrue();
    }

    @Test
    void streams_tool_use() {
        server.enqueue(FakeReply.toolCall("toolu_02", "lookup_order", "{\"orderId\":\"B-2\"}")
                .withUsage(50, 12));

        ProviderResult result = provider.stream(
                "claude-sonnet-4-5",
                ChatRequest.of(ChatMessage.user("B-2?")).withTools(List.of(LOOKUP)),
                p -> {},
                TIMEOUT);

        assertThat(result.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(result.toolCalls())
                .containsExactly(new ToolCall("toolu_02", "lookup_order", "{\"orderId\":\"B-2\"}"));
        assertThat(result.usage()).isEqualTo(new TokenUsage(50, 12, false));
    }

    @Test
    void a_stream_without_usage_reports_none() {
        server.enqueue(FakeReply.text("No usage here.").withoutUsage());

        ProviderResult result =
                provider.stream("claude-sonnet-4-5", ChatRequest.of(ChatMessage.user("Test")), p -> {}, TIMEOUT);

        assertThat(result.usage()).isNull();
    }

    @Test
    void maps_anthropic_errors() {
        server.enqueue(
                FakeReply.rateLimited(Duration.ofSeconds(3)),
                FakeReply.error(529, "Overloaded"),
                FakeReply.error(400, "max_tokens: too large"));
        ChatRequest request = ChatRequest.of(ChatMessage.user("hi"));

        assertThatThrownBy(() -> provider.chat("claude-sonnet-4-5", request, TIMEOUT))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.retryAfter())
                        .contains(Duration.ofSeconds(3)));
        assertThatThrownBy(() -> provider.stream("claude-sonnet-4-5", request, p -> {}, TIMEOUT))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessage("Provider anthropic unavailable (HTTP 529): Overloaded");
        assertThatThrownBy(() -> provider.chat("claude-sonnet-4-5", request, TIMEOUT))
                .isInstanceOf(ProviderRejectedException.class)
                .hasMessage("Provider anthropic rejected the call (HTTP 400): max_tokens: too large");
        assertThat(server.requestCount()).isEqualTo(3);
    }
}
