package dev.guildhall.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fakes' wire formats, checked with a plain HTTP client. */
class FakeModelServersIT {
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void openai_streams_chunks_and_a_usage_chunk_only_when_asked() throws Exception {
        try (FakeOpenAiServer openai = FakeOpenAiServer.start()) {
            openai.enqueue(
                    FakeReply.text("Hello there").withUsage(7, 2),
                    FakeReply.text("Hi").withUsage(7, 1));

            List<String> withUsage = dataLines(post(
                            openai.baseUrl() + "/chat/completions",
                            "{\"model\":\"gpt-x\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[]}")
                    .body());
            List<String> withoutUsage = dataLines(post(
                            openai.baseUrl() + "/chat/completions",
                            "{\"model\":\"gpt-x\",\"stream\":true,\"messages\":[]}")
                    .body());

            assertThat(withUsage).last().isEqualTo("[DONE]");
            JsonNode usageChunk = Json.parse(withUsage.get(withUsage.size() - 2));
            assertThat(usageChunk.path("choices")).isEmpty();
            assertThat(usageChunk.path("usage").path("prompt_tokens").asInt()).isEqualTo(7);
            assertThat(withUsage)
                    .filteredOn(l -> l.contains("\"content\":\"Hello \""))
                    .hasSize(1);
            assertThat(withoutUsage).noneMatch(l -> l.contains("\"usage\""));
            assertThat(openai.requestCount()).isEqualTo(2);
            assertThat(openai.lastRequest().json().path("model").asText()).isEqualTo("gpt-x");
        }
    }

    @Test
    void openai_answers_rate_limits_with_retry_after_and_says_when_nothing_is_scripted() throws Exception {
        try (FakeOpenAiServer openai = FakeOpenAiServer.start()) {
            openai.enqueue(FakeReply.rateLimited(Duration.ofMillis(1500)));

            HttpResponse<String> limited =
                    post(openai.baseUrl() + "/chat/completions", "{\"model\":\"gpt-x\",\"messages\":[]}");
            HttpResponse<String> unscripted =
                    post(openai.baseUrl() + "/chat/completions", "{\"model\":\"gpt-x\",\"messages\":[]}");

            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("retry-after")).contains("2");
            assertThat(Json.parse(limited.body()).path("error").path("type").asText())
                    .isEqualTo("rate_limit_exceeded");
            assertThat(unscripted.statusCode()).isEqualTo(500);
            assertThat(unscripted.body()).contains("no reply scripted");
        }
    }

    @Test
    void openai_embeds_deterministically() throws Exception {
        try (FakeOpenAiServer openai = FakeOpenAiServer.start().embeddingDimension(4)) {
            JsonNode first =
                    Json.parse(post(openai.baseUrl() + "/embeddings", "{\"model\":\"e\",\"input\":[\"a b\",\"c\"]}")
                            .body());
            JsonNode second = Json.parse(post(openai.baseUrl() + "/embeddings", "{\"model\":\"e\",\"input\":[\"a b\"]}")
                    .body());

            assertThat(first.path("data")).hasSize(2);
            assertThat(first.path("data").get(0).path("embedding"))
                    .hasSize(4)
                    .isEqualTo(second.path("data").get(0).path("embedding"));
            assertThat(first.path("usage").path("prompt_tokens").asInt()).isEqualTo(3);
        }
    }

    @Test
    void a_hanging_reply_never_answers() {
        try (FakeOpenAiServer openai = FakeOpenAiServer.start()) {
            openai.enqueue(FakeReply.hang());
            HttpRequest request = HttpRequest.newBuilder(URI.create(openai.baseUrl() + "/chat/completions"))
                    .timeout(Duration.ofMillis(200))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-x\",\"messages\":[]}"))
                    .build();

            assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(HttpTimeoutException.class);
        }
    }

    @Test
    void anthropic_streams_its_event_sequence() throws Exception {
        try (FakeAnthropicServer anthropic = FakeAnthropicServer.start()) {
            anthropic.enqueue(FakeReply.text("Hi there")
                    .withToolCall("toolu_1", "lookup", "{\"q\":\"x\"}")
                    .withUsage(12, 9));

            String body = post(
                            anthropic.baseUrl() + "messages",
                            "{\"model\":\"claude-x\",\"stream\":true,\"messages\":[]}")
                    .body();

            List<String> events = body.lines()
                    .filter(l -> l.startsWith("event: "))
                    .map(l -> l.substring(7))
                    .toList();
            assertThat(events)
                    .containsExactly(
                            "message_start",
                            "content_block_start",
                            "ping",
                            "content_block_delta",
                            "content_block_delta",
                            "content_block_stop",
                            "content_block_start",
                            "content_block_delta",
                            "content_block_delta",
                            "content_block_stop",
                            "message_delta",
                            "message_stop");
            assertThat(body)
                    .contains("\"input_tokens\":12")
                    .contains("\"output_tokens\":9")
                    .contains("\"stop_reason\":\"tool_use\"");
        }
    }

    @Test
    void ollama_streams_newline_delimited_json_ending_with_counts() throws Exception {
        try (FakeOllamaServer ollama = FakeOllamaServer.start()) {
            ollama.enqueue(FakeReply.text("Hello world").withUsage(5, 2));

            List<String> lines = post(ollama.baseUrl() + "/api/chat", "{\"model\":\"llama3\",\"messages\":[]}")
                    .body()
                    .lines()
                    .toList();

            assertThat(lines).hasSize(3);
            JsonNode done = Json.parse(lines.get(2));
            assertThat(done.path("done").asBoolean()).isTrue();
            assertThat(done.path("prompt_eval_count").asInt()).isEqualTo(5);
            assertThat(done.path("eval_count").asInt()).isEqualTo(2);
        }
    }

    private HttpResponse<String> post(String url, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> dataLines(String sse) {
        return Arrays.stream(sse.split("\n"))
                .filter(l -> l.startsWith("data: "))
                .map(l -> l.substring(6))
                .toList();
    }
}
