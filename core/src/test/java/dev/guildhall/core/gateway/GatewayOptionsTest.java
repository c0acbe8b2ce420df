package dev.guildhall.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GatewayOptionsTest {

    @Test
    void has_named_defaults() {
        GatewayOptions options = GatewayOptions.builder().build();

        assertThat(options.timeout()).isEqualTo(GatewayOptions.DEFAULT_TIMEOUT);
        assertThat(options.retryPolicy()).isEqualTo(GatewayOptions.DEFAULT_RETRY_POLICY);
        assertThat(options.cacheSize()).isEqualTo(GatewayOptions.DEFAULT_CACHE_SIZE);
        assertThat(options.chatRoutes()).isEmpty();
        assertThat(options.routesFor(ModelPolicy.CHEAP)).isEmpty();
    }

    @Test
    void keeps_routes_in_order_and_round_trips_through_to_builder() {
        GatewayOptions options = GatewayOptions.builder()
                .routes(ModelPolicy.CHEAP, "openai:gpt-4o-mini", "ollama:llama3.1")
                .embeddingRoutes("openai:text-embedding-3-small")
                .timeout(Duration.ofSeconds(5))
                .build();

        assertThat(options.routesFor(ModelPolicy.CHEAP))
                .extracting(ModelRoute::toString)
                .containsExactly("openai:gpt-4o-mini", "ollama:llama3.1");
        assertThat(options.toBuilder().build()).isEqualTo(options);
    }

    @Test
    void rejects_bad_values_at_once() {
        assertThatThrownBy(() -> GatewayOptions.builder().timeout(Duration.ZERO))
                .hasMessage("timeout must be > 0, was PT0S");
        assertThatThrownBy(() -> GatewayOptions.builder().cacheSize(-1)).hasMessage("cacheSize must be >= 0, was -1");
        assertThatThrownBy(() -> GatewayOptions.builder().routes(ModelPolicy.NONE, "openai:gpt-4o"))
                .hasMessageContaining("routes for policy none must be empty");
        assertThatThrownBy(() -> GatewayOptions.builder().routes(ModelPolicy.CHEAP, "openai:a", "openai:a"))
                .hasMessage("routes of policy cheap must not repeat openai:a");
    }
}
