package dev.guildhall.providers.openai;

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
import dev.guildhall.testkit.FakeOpenAiServer;
import dev.guildhall.testkit.FakeReply;
import dev.guildhall.testkit.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiChatProviderIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ToolSpec WEATHER = new ToolSpec(
            "get_weather",
            "Current weather for a city",
            Json.parse("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","
                    + "\"properties\":{\"city\":{\"type\":\"string\",\"description\":\"City name\"},"
                    + "\"days\":{\"type\":\"integer\",\"minimum\":1}},\"required\":[\"city\"]}"));

    private final FakeOpenAiServer server = FakeOpenAiServer.start();
    private final OpenAiChatProvider provider = new OpenAiChatProvider("openai", server.baseUrl(), "sk-test");

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void chats_and_reports_the_providers_usage() {
        server.enqueue(FakeReply.text("Paris.").withUsage(21, 2));
        ChatRequest request = new ChatRequest(
                List.of(ChatMessage.system("Answer briefly."), ChatMessage.user("Capital of France?")),
                List.of(),
                null,
                50,
                0.0);

        ProviderResult result = provider.chat("gpt-4o-mini", request, TIMEOUT);

        assertThat(result.text()).isEqualTo("Paris.");
        assertThat(result.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(result.usage()).isEqualTo(new TokenUsage(21, 2, false));
        RecordedRequest sent = server.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-test");
        JsonNode body = sent.json();
        assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(50);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.0);
        assertThat(body.path("messages")).hasSize(2);
        assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(body.path("messages").get(1).path("content").asText()).isEqualTo("Capital of France?");
        assertThat(body.path("stream").asBoolean(false))
                .as("a plain call is not streamed")
                .isFalse();
    }

    @Test
    void round_trips_a_tool_call() {
        server.enqueue(
                FakeReply.toolCall("call_abc", "get_weather", "{\"city\":\"Paris\"}")
                        .withUsage(80, 15),
                FakeReply.text("It is 18°C in Paris.").withUsage(120, 9));
        ChatRequest ask = ChatRequest.of(ChatMessage.user("Weather in Paris?")).withTools(List.of(WEATHER));

        ProviderResult first = provider.chat("gpt-4o", ask, TIMEOUT);

        assertThat(first.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(first.toolCalls()).containsExactly(new ToolCall("call_abc", "get_weather", "{\"city\":\"Paris\"}"));
        JsonNode tool = server.lastRequest().json().path("tools").get(0);
        assertThat(tool.path("type").asText()).isEqualTo("function");
        assertThat(tool.path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(tool.path("function")
                        .path("parameters")
                        .path("properties")
                        .path("city")
                        .path("type")
                        .asText())
                .isEqualTo("string");
        assertThat(tool.path("function")
                        .path("parameters")
                        .path("properties")
                        .path("days")
                        .path("minimum")
                        .asInt())
                .as("keywords LangChain4j has no type for are kept")
                .isEqualTo(1);
        assertThat(tool.path("function")
                        .path("parameters")
                        .path("required")
                        .get(0)
                        .asText())
                .isEqualTo("city");

        ToolCall call = first.toolCalls().get(0);
        ChatRequest answer = ask.withMessages(List.of(
                ChatMessage.user("Weather in Paris?"),
                ChatMessage.assistant("", first.toolCalls()),
                ChatMessage.toolResult(call, "{\"celsius\":18}")));
        ProviderResult second = provider.chat("gpt-4o", answer, TIMEOUT);

        assertThat(second.text()).isEqualTo("It is 18°C in Paris.");
        JsonNode messages = server.lastRequest().json().path("messages");
        assertThat(messages.get(1).path("tool_calls").get(0).path("id").asText())
                .isEqualTo("call_abc");
        assertThat(messages.get(1)
                        .path("tool_calls")
                        .get(0)
                        .path("function")
                        .path("arguments")
                        .asText())
                .isEqualTo("{\"city\":\"Paris\"}");
        assertThat(messages.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(messages.get(2).path("tool_call_id").asText()).isEqualTo("call_abc");
        assertThat(messages.get(2).path("content").asText()).isEqualTo("{\"celsius\":18}");
    }

    @Test
    void asks_for_json_matching_a_schema() {
        JsonNode schema = Json.parse(
                "{\"title\":\"capital\",\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
                        + "\"population\":{\"type\":\"integer\"}},\"required\":[\"city\",\"population\"],\"additionalProperties\":false}");
        server.enqueue(FakeReply.text("{\"city\":\"Paris\",\"population\":2102650}"));

        ProviderResult result = provider.chat(
                "gpt-4o-mini",
                ChatRequest.of(ChatMessage.user("Capital of France?")).withResponseSchema(schema),
                TIMEOUT);

        assertThat(Json.parse(result.text()).path("population").asLong()).isEqualTo(2_102_650L);
        JsonNode format = server.lastRequest().json().path("response_format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.path("json_schema").path("name").asText()).isEqualTo("capital");
        assertThat(format.path("json_schema")
                        .path("schema")
                        .path("properties")
                        .path("population")
                        .path("type")
                        .asText())
                .isEqualTo("integer");
        assertThat(format.path("json_schema").path("schema").path("required")).hasSize(2);
    }

    @Test
    void streams_text_and_reports_the_usage_of_the_final_chunk() {
        server.enqueue(FakeReply.text("The capital of France is Paris.").withUsage(25, 8));
        List<String> parts = new CopyOnWriteArrayList<>();

        ProviderResult result = provider.stream(
                "gpt-4o-mini", ChatRequest.of(ChatMessage.user("Capital of France?")), parts::add, TIMEOUT);

        assertThat(String.join("", parts)).isEqualTo("The capital of France is Paris.");
        assertThat(parts).hasSizeGreaterThan(1);
        assertThat(result.text()).isEqualTo("The capital of France is Paris.");
        assertThat(result.usage()).isEqualTo(new TokenUsage(25, 8, false));
        JsonNode body = server.lastRequest().json();
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options").path("include_usage").asBoolean())
                .isTrue();
    }

    @Test
    void a_stream_without_usage_reports_none_so_the_gateway_can_count() {
        server.enqueue(FakeReply.text("Paris.").withoutUsage());

        ProviderResult result = provider.stream(
                "local-model", ChatRequest.of(ChatMessage.user("Capital of France?")), p -> {}, TIMEOUT);

        assertThat(result.text()).isEqualTo("Paris.");
        assertThat(result.usage()).isNull();
    }

    @Test
    void streams_tool_calls() {
        server.enqueue(FakeReply.toolCall("call_1", "get_weather", "{\"city\":\"Lyon\"}")
                .withToolCall("call_2", "get_weather", "{\"city\":\"Nice\"}"));

        ProviderResult result = provider.stream(
                "gpt-4o", ChatRequest.of(ChatMessage.user("Weather?")).withTools(List.of(WEATHER)), p -> {}, TIMEOUT);

        assertThat(result.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(result.toolCalls())
                .containsExactly(
                        new ToolCall("call_1", "get_weather", "{\"city\":\"Lyon\"}"),
                        new ToolCall("call_2", "get_weather", "{\"city\":\"Nice\"}"));
    }

    @Test
    void sends_reasoning_models_max_completion_tokens_and_no_temperature() {
        server.enqueue(FakeReply.text("42").withUsage(10, 300));
        ChatRequest request = new ChatRequest(List.of(ChatMessage.user("Think hard.")), List.of(), null, 2_000, 0.0);

        provider.chat("o4-mini", request, TIMEOUT);

        JsonNode body = server.lastRequest().json();
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(2_000);
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.has("temperature")).isFalse();
        assertThat(OpenAiChatProvider.isReasoningModel("gpt-5-mini")).isTrue();
        assertThat(OpenAiChatProvider.isReasoningModel("o3")).isTrue();
        assertThat(OpenAiChatProvider.isReasoningModel("gpt-4o")).isFalse();
        assertThat(OpenAiChatProvider.isReasoningModel("omni-local")).isFalse();
    }

    @Test
    void maps_http_errors_to_gateway_errors() {
        server.enqueue(
                FakeReply.rateLimited(Duration.ofSeconds(2)),
                FakeReply.error(503, "The server is overloaded"),
                FakeReply.error(401, "Incorrect API key provided"),
                FakeReply.error(500, "boom"));
        ChatRequest request = ChatRequest.of(ChatMessage.user("hi"));

        assertThatThrownBy(() -> provider.chat("gpt-4o", request, TIMEOUT))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.retryAfter())
                        .contains(Duration.ofSeconds(2)))
                .hasMessage(
                        "Provider openai rate-limited the call (HTTP 429, retry after PT2S): Rate limit reached, please retry later");
        assertThatThrownBy(() -> provider.chat("gpt-4o", request, TIMEOUT))
                .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> assertThat(e.statusCode())
                        .isEqualTo(503))
                .hasMessage("Provider openai unavailable (HTTP 503): The server is overloaded");
        assertThatThrownBy(() -> provider.chat("gpt-4o", request, TIMEOUT))
                .isInstanceOf(ProviderRejectedException.class)
                .hasMessage("Provider openai rejected the call (HTTP 401): Incorrect API key provided");
        assertThatThrownBy(() -> provider.stream("gpt-4o", request, p -> {}, TIMEOUT))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessage("Provider openai unavailable (HTTP 500): boom");
        assertThat(server.requestCount())
                .as("LangChain4j does not retry behind the gateway's back")
                .isEqualTo(4);
    }

    @Test
    void gives_up_after_the_timeout() {
        server.enqueue(FakeReply.hang(), FakeReply.hang());
        ChatRequest request = ChatRequest.of(ChatMessage.user("hi"));

        assertThatThrownBy(() -> provider.chat("gpt-4o", request, Duration.ofMillis(300)))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessage("Provider openai unavailable: timed out after PT0.3S");
        assertThatThrownBy(() -> provider.stream("gpt-4o", request, p -> {}, Duration.ofMillis(300)))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("timed out");
    }

    @Test
    void a_server_that_is_down_is_unavailable() {
        server.close();

        assertThatThrownBy(() -> provider.chat("gpt-4o", ChatRequest.of(ChatMessage.user("hi")), TIMEOUT))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageStartingWith("Provider openai unavailable: connection failed");
    }
}
