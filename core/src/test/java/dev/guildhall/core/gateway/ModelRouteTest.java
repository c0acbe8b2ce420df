package dev.guildhall.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelRouteTest {

    @Test
    void parses_provider_and_model() {
        assertThat(ModelRoute.parse("openai:gpt-4o-mini")).isEqualTo(ModelRoute.of("openai", "gpt-4o-mini"));
    }

    @Test
    void keeps_colons_of_the_model_name() {
        ModelRoute route = ModelRoute.parse(" ollama:llama3.1:8b ");

        assertThat(route.provider()).isEqualTo("ollama");
        assertThat(route.model()).isEqualTo("llama3.1:8b");
        assertThat(route).hasToString("ollama:llama3.1:8b");
    }

    @Test
    void rejects_text_without_provider_or_model() {
        assertThatThrownBy(() -> ModelRoute.parse("gpt-4o"))
                .hasMessage("route must look like provider:model, was \"gpt-4o\"");
        assertThatThrownBy(() -> ModelRoute.parse(":gpt-4o")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelRoute.parse("openai:")).isInstanceOf(IllegalArgumentException.class);
    }
}
