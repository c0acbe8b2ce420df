package dev.guildhall.providers.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.gateway.ChatMessage;
import dev.guildhall.core.gateway.ChatRequest;
import dev.guildhall.core.gateway.ChatResponse.FinishReason;
import dev.guildhall.core.gateway.ProviderEmbeddings;
import dev.guildhall.core.gateway.ProviderRejectedException;
import dev.guildhall.core.gateway.ProviderResult;
import dev.guildhall.core.gateway.TokenUsage;
import dev.guildhall.core.gateway.ToolSpec;
import dev.guildhall.core.json.Json;
import dev.guildhall.testkit.FakeOllamaServer;
import dev.guildhall.testkit.FakeReply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ollama through its native API, against a fake that speaks it. This also proves that
 * langchain4j-ollama 1.18.1 (the latest release) works with langchain4j-core 1.19.0.
 */
class OllamaProvidersIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final FakeOllamaServer server = FakeOllamaServer.start();
    private final OllamaChatProvider chat = new OllamaChatProvider("ollama", server.baseUrl());
    private final OllamaEmbeddingProvider embeddings = new OllamaEmbeddingProvider("ollama", server.baseUrl());

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void chats_and_reports_eval_counts_as_usage() {
        server.enqueue(FakeReply.text("Hi there.").withUsage(26, 4));

        ProviderResult result = chat.chat(
                "llama3.1", new ChatRequest(List.of(ChatMessage.user("Hello")), List.of(), null, 64, 0.0), TIMEOUT);

        assertThat(result.text()).isEqualTo("Hi there.");
        assertThat(result.usage()).isEqualTo(new TokenUsage(26, 4, false));
        JsonNode body = server.lastRequest().json();
        assertThat(server.lastRequest().path()).isEqualTo("/api/chat");
        assertThat(body.path("model").asText()).isEqualTo("llama3.1");
        assertThat(body.path("stream").asBoolean()).isFalse();
        assertThat(body.path("options").path("num_predict").asInt()).isEqualTo(64);
        assertThat(body.path("options").path("temperature").asDouble()).isEqualTo(0.0);
    }

    @Test
    void streams_newline_delimited_chunks_with_usage() {
        server.enqueue(FakeReply.text("One two three.").withUsage(12, 3));
        List<String> parts = new CopyOnWriteArrayList<>();

        ProviderResult result = chat.stream("llama3.1", ChatRequest.of(ChatMessage.user("Count")), parts::add, TIMEOUT);

        assertThat(parts).containsExactly("One ", "two ", "three.");
        assertThat(result.text()).isEqualTo("One two three.");
        assertThat(result.usage()).isEqualTo(new TokenUsage(12, 3, false));
    }

    @Test
    void gives_tool_calls_without_ids_an_id() {
        server.enqueue(FakeReply.toolCall("ignored", "get_time", "{\"zone\":\"UTC\"}"));
        ToolSpec tool = new ToolSpec(
                "get_time",
                "Current time",
                Json.parse("{\"type\":\"object\",\"properties\":{\"zone\":{\"type\":\"string\"}}}"));

        ProviderResult result =
                chat.chat("llama3.1", ChatRequest.of(ChatMessage.user("Time?")).withTools(List.of(tool)), TIMEOUT);

        assertThat(result.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(result.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.id()).isEqualTo("call_0");
            assertThat(call.name()).isEqualTo("get_time");
            assertThat(Json.parse(call.argumentsJson()).path("zone").asText()).isEqualTo("UTC");
        });
        assertThat(server.lastRequest()
                        .json()
                        .path("tools")
                        .get(0)
                        .path("function")
                        .path("name")
                        .asText())
                .isEqualTo("get_time");
    }

    @Test
    void sends_the_schema_as_format() {
        server.enqueue(FakeReply.text("{\"ok\":true}"));
        JsonNode schema = Json.parse(
                "{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"}},\"required\":[\"ok\"]}");

        chat.chat("llama3.1", ChatRequest.of(ChatMessage.user("ok?")).withResponseSchema(schema), TIMEOUT);

        assertThat(server.lastRequest()
                        .json()
                        .path("format")
                        .path("properties")
                        .path("ok")
                        .path("type")
                        .asText())
                .isEqualTo("boolean");
    }

    @Test
    void embeds_with_the_native_embed_endpoint() {
        ProviderEmbeddings result = embeddings.embed("nomic-embed-text", List.of("first text", "second"), TIMEOUT);

        assertThat(result.vectors()).hasSize(2);
        assertThat(result.vectors().get(0)).hasSize(8);
        assertThat(result.usage()).isEqualTo(new TokenUsage(3, 0, false));
        assertThat(server.lastRequest().path()).isEqualTo("/api/embed");
        assertThat(server.lastRequest().json().path("input")).hasSize(2);
    }

    @Test
    void an_unknown_model_is_rejected() {
        server.enqueue(FakeReply.error(404, "model \"nope\" not found, try pulling it first"));

        assertThatThrownBy(() -> chat.chat("nope", ChatRequest.of(ChatMessage.user("hi")), TIMEOUT))
                .isInstanceOf(ProviderRejectedException.class)
                .hasMessage(
                        "Provider ollama rejected the call (HTTP 404): model \"nope\" not found, try pulling it first");
    }
}
