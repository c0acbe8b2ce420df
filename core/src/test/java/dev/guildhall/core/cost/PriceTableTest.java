package dev.guildhall.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {

    @Test
    void ships_default_prices_for_common_openai_and_anthropic_models() {
        PriceTable defaults = PriceTable.defaults();

        assertThat(defaults.currency()).isEqualTo("USD");
        assertThat(defaults.find("openai", "gpt-4o-mini")).contains(ModelPrice.of("0.15", "0.60"));
        assertThat(defaults.find("anthropic", "claude-sonnet-4-5")).contains(ModelPrice.of("3.00", "15.00"));
        assertThat(defaults.find("openai", "text-embedding-3-small")).isPresent();
        assertThat(defaults.find("ollama", "llama3.1")).contains(ModelPrice.FREE);
    }

    @Test
    void costs_per_million_tokens_exactly() {
        ModelPrice price = ModelPrice.of("0.15", "0.60");

        assertThat(price.cost(1_000_000, 1_000_000)).isEqualByComparingTo("0.75");
        assertThat(price.cost(1_000, 500)).isEqualByComparingTo("0.00045");
        assertThat(price.cost(0, 0)).isEqualByComparingTo("0");
    }

    @Test
    void parses_yaml_with_provider_model_and_wildcard_keys() {
        PriceTable table = PriceTable.parse(
                """
                currency: EUR
                models:
                  "local:qwen2.5": { input: 0.01, output: 0.02 }
                  "gpt-4o": { input: 2.5, output: 10 }
                  "vllm:*": { input: 0, output: 0 }
                """);

        assertThat(table.currency()).isEqualTo("EUR");
        assertThat(table.find("local", "qwen2.5")).contains(ModelPrice.of("0.01", "0.02"));
        assertThat(table.find("proxy", "gpt-4o"))
                .as("a bare model key applies to any provider")
                .contains(ModelPrice.of("2.5", "10"));
        assertThat(table.find("vllm", "anything")).contains(ModelPrice.of("0", "0"));
        assertThat(table.find("local", "other")).isEmpty();
    }

    @Test
    void a_dated_snapshot_uses_its_base_model_price_and_an_exact_key_wins() {
        PriceTable table = PriceTable.parse(
                """
                models:
                  "gpt-4o": { input: 2.5, output: 10 }
                  "gpt-4o-mini": { input: 0.15, output: 0.6 }
                  "openai:gpt-4o-2024-05-13": { input: 5, output: 15 }
                """);

        assertThat(table.find("openai", "gpt-4o-2024-08-06")).contains(ModelPrice.of("2.5", "10"));
        assertThat(table.find("openai", "gpt-4o-mini-2024-07-18")).contains(ModelPrice.of("0.15", "0.6"));
        assertThat(table.find("openai", "gpt-4o-2024-05-13")).contains(ModelPrice.of("5", "15"));
        assertThat(PriceTable.defaults().find("anthropic", "claude-sonnet-4-5-20250929"))
                .contains(ModelPrice.of("3.00", "15.00"));
    }

    @Test
    void an_unknown_model_costs_zero_instead_of_failing() {
        PriceTable table = PriceTable.empty();

        assertThat(table.cost("mystery", "model-x", 1_000, 1_000)).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(table.cost("mystery", "model-x", 5, 5)).isEqualByComparingTo(BigDecimal.ZERO);
    }

    @Test
    void edits_apply_to_the_next_cost() {
        PriceTable table = PriceTable.empty();
        assertThat(table.cost("openai", "gpt-x", 1_000_000, 0)).isEqualByComparingTo("0");

        table.put("openai:gpt-x", ModelPrice.of("1", "2"));
        assertThat(table.cost("openai", "gpt-x", 1_000_000, 1_000_000)).isEqualByComparingTo("3");

        assertThat(table.remove("openai:gpt-x")).isTrue();
        assertThat(table.find("openai", "gpt-x")).isEmpty();
    }

    @Test
    void overrides_defaults_with_an_operator_file() {
        PriceTable table = PriceTable.defaults()
                .putAll(
                        PriceTable.parse(
                                """
                models:
                  "gpt-4o-mini": { input: 0.10, output: 0.40 }
                """));

        assertThat(table.find("openai", "gpt-4o-mini")).contains(ModelPrice.of("0.10", "0.40"));
        assertThat(table.find("openai", "gpt-4o")).isPresent();
    }

    @Test
    void saves_and_loads_a_file(@TempDir Path dir) {
        Path file = dir.resolve("prices.yaml");
        PriceTable table = PriceTable.empty()
                .put("openai:gpt-x", ModelPrice.of("1.25", "10"))
                .put("ollama:*", ModelPrice.FREE);

        table.save(file);
        PriceTable loaded = PriceTable.load(file);

        assertThat(loaded.asMap()).isEqualTo(table.asMap());
    }

    @Test
    void explains_a_bad_file(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prices.yaml");
        Files.writeString(file, "models:\n  \"gpt-x\": { input: cheap, output: 1 }\n");

        assertThatThrownBy(() -> PriceTable.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": models.gpt-x.input must be a number, was \"cheap\"");
        assertThatThrownBy(() -> PriceTable.parse("models:\n  \"gpt-x\": { input: -1, output: 1 }\n"))
                .hasMessage("inputPerMillion must be >= 0, was -1");
    }
}
