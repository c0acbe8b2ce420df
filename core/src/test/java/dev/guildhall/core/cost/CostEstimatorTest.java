package dev.guildhall.core.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.gateway.ChatMessage;
import dev.guildhall.core.gateway.ChatRequest;
import dev.guildhall.core.gateway.ModelRoute;
import dev.guildhall.core.gateway.TokenUsage;
import dev.guildhall.core.gateway.ToolCall;
import dev.guildhall.core.gateway.ToolSpec;
import dev.guildhall.core.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostEstimatorTest {
    private final CostEstimator estimator =
            new CostEstimator(PriceTable.empty().put("openai:gpt-x", ModelPrice.of("1", "2")));

    @Test
    void counts_tokens_like_gpt_4o() {
        assertThat(estimator.countTokens("Hello, world!")).isEqualTo(4);
        assertThat(estimator.countTokens("")).isZero();
        assertThat(estimator.countTokens("<|endoftext|>"))
                .as("special tokens count as text")
                .isPositive();
    }

    @Test
    void input_tokens_grow_with_tools_and_schema() {
        ChatRequest plain = ChatRequest.of(
                ChatMessage.system("You are terse."), ChatMessage.user("What is the capital of France?"));
        ToolSpec tool = new ToolSpec(
                "get_weather",
                "Weather for a city",
                Json.parse("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"));

        long base = estimator.inputTokens(plain);
        assertThat(base)
                .isGreaterThan(estimator.countTokens("You are terse.")
                        + estimator.countTokens("What is the capital of France?"));
        assertThat(estimator.inputTokens(plain.withTools(List.of(tool)))).isGreaterThan(base);
        assertThat(estimator.inputTokens(plain.withResponseSchema(Json.parse("{\"type\":\"object\"}"))))
                .isGreaterThan(base);
    }

    @Test
    void estimated_usage_is_flagged_and_counts_tool_calls() {
        ChatRequest request = ChatRequest.of(ChatMessage.user("weather in Paris?"));
        TokenUsage usage = estimator.estimateUsage(
                request, "", List.of(new ToolCall("c1", "get_weather", "{\"city\":\"Paris\"}")));

        assertThat(usage.estimated()).isTrue();
        assertThat(usage.inputTokens()).isPositive();
        assertThat(usage.outputTokens()).isPositive();
    }

    @Test
    void worst_case_cost_charges_max_output_tokens_at_the_output_price() {
        ChatRequest request = ChatRequest.of(ChatMessage.user("hi")).withMaxOutputTokens(1_000_000);
        long input = estimator.inputTokens(request);

        assertThat(estimator.worstCaseCost(ModelRoute.parse("openai:gpt-x"), request))
                .isEqualByComparingTo(ModelPrice.of("1", "2").cost(input, 1_000_000));
        assertThat(estimator.worstCaseCost(ModelRoute.parse("openai:unpriced"), request))
                .isEqualByComparingTo("0");
    }
}
