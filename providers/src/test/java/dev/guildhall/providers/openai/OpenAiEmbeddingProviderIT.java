package dev.guildhall.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guildhall.core.gateway.ProviderEmbeddings;
import dev.guildhall.core.gateway.RateLimitedException;
import dev.guildhall.core.gateway.TokenUsage;
import dev.guildhall.testkit.FakeOpenAiServer;
import dev.guildhall.testkit.FakeReply;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiEmbeddingProviderIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final FakeOpenAiServer server = FakeOpenAiServer.start().embeddingDimension(16);
    private final OpenAiEmbeddingProvider provider = new OpenAiEmbeddingProvider("openai", server.baseUrl(), "sk-test");

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void embeds_a_batch_in_order_with_usage() {
        ProviderEmbeddings result = provider.embed("text-embedding-3-small", List.of("alpha beta", "gamma"), TIMEOUT);
        ProviderEmbeddings again = provider.embed("text-embedding-3-small", List.of("gamma"), TIMEOUT);

        assertThat(result.vectors()).hasSize(2);
        assertThat(result.vectors().get(1)).isEqualTo(again.vectors().get(0));
        assertThat(result.usage()).isEqualTo(new TokenUsage(3, 0, false));
        assertThat(server.lastRequest().path()).isEqualTo("/v1/embeddings");
        assertThat(server.lastRequest().json().path("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(server.lastRequest().header("Authorization")).isEqualTo("Bearer sk-test");
    }

    @Test
    void reports_no_usage_when_the_server_sends_none() {
        server.enqueue(FakeReply.embeddings().withoutUsage());

        assertThat(provider.embed("local-embedder", List.of("x"), TIMEOUT).usage())
                .isNull();
    }

    @Test
    void maps_rate_limits() {
        server.enqueue(FakeReply.rateLimited(Duration.ofSeconds(1)));

        assertThatThrownBy(() -> provider.embed("text-embedding-3-small", List.of("x"), TIMEOUT))
                .isInstanceOf(RateLimitedException.class);
    }
}
