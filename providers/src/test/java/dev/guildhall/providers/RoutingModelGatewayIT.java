package dev.guildhall.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.RunId;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.cost.Budget;
import dev.guildhall.core.cost.BudgetExceededException;
import dev.guildhall.core.cost.BudgetPeriod;
import dev.guildhall.core.cost.BudgetPolicy;
import dev.guildhall.core.cost.CostEntry;
import dev.guildhall.core.cost.CostEstimator;
import dev.guildhall.core.cost.InMemoryBudgetStore;
import dev.guildhall.core.cost.InMemoryCostLedger;
import dev.guildhall.core.cost.ModelPrice;
import dev.guildhall.core.cost.PriceTable;
import dev.guildhall.core.cost.SpendQuery;
import dev.guildhall.core.cost.SpendQuery.GroupBy;
import dev.guildhall.core.cost.SpendRow;
import dev.guildhall.core.gateway.ChatMessage;
import dev.guildhall.core.gateway.ChatRequest;
import dev.guildhall.core.gateway.ChatResponse;
import dev.guildhall.core.gateway.EmbeddingResponse;
import dev.guildhall.core.gateway.GatewayOptions;
import dev.guildhall.core.gateway.ModelCall;
import dev.guildhall.core.gateway.ModelPolicy;
import dev.guildhall.core.gateway.ProviderUnavailableException;
import dev.guildhall.core.gateway.RoutingModelGateway;
import dev.guildhall.core.gateway.TokenUsage;
import dev.guildhall.core.retry.RetryPolicy;
import dev.guildhall.core.time.MutableClock;
import dev.guildhall.providers.anthropic.AnthropicChatProvider;
import dev.guildhall.providers.openai.OpenAiChatProvider;
import dev.guildhall.providers.openai.OpenAiEmbeddingProvider;
import dev.guildhall.testkit.FakeAnthropicServer;
import dev.guildhall.testkit.FakeOpenAiServer;
import dev.guildhall.testkit.FakeReply;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway end to end: real LangChain4j clients against fake OpenAI and Anthropic servers. */
class RoutingModelGatewayIT {
    private static final WorkspaceId ACME = WorkspaceId.of("acme");
    private static final AgentId WRITER = AgentId.of("writer");
    private static final AgentId ROUTER = AgentId.of("router");
    /** Millisecond backoff so that retries take no noticeable time. */
    private static final RetryPolicy FAST_RETRY = RetryPolicy.builder()
            .maxAttempts(2)
            .initialInterval(Duration.ofMillis(5))
            .maximumInterval(Duration.ofMillis(20))
            .jitter(0)
            .build();

    private final FakeOpenAiServer openai = FakeOpenAiServer.start();
    private final FakeAnthropicServer anthropic = FakeAnthropicServer.start();
    private final MutableClock clock = MutableClock.at("2026-03-10T08:00:00Z");
    private final InMemoryCostLedger ledger = new InMemoryCostLedger();
    private final InMemoryBudgetStore budgets = new InMemoryBudgetStore();
    private final PriceTable prices = PriceTable.defaults();
    private RoutingModelGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        openai.close();
        anthropic.close();
    }

    private RoutingModelGateway gateway(GatewayOptions.Builder options) {
        gateway = new RoutingModelGateway(
                options.retryPolicy(FAST_RETRY).build(),
                List.of(
                        new OpenAiChatProvider("openai", openai.baseUrl(), "sk-test"),
                        new AnthropicChatProvider("anthropic", anthropic.baseUrl(), "sk-ant-test")),
                List.of(new OpenAiEmbeddingProvider("openai", openai.baseUrl(), "sk-test")),
                ledger,
                budgets,
                prices,
                clock);
        return gateway;
    }

    private RoutingModelGateway standardGateway() {
        return gateway(GatewayOptions.builder()
                .routes(ModelPolicy.CHEAP, "openai:gpt-4o-mini")
                .routes(ModelPolicy.STANDARD, "openai:gpt-4o", "anthropic:claude-sonnet-4-5")
                .routes(ModelPolicy.PREMIUM, "anthropic:claude-opus-4-1", "openai:gpt-4.1")
                .embeddingRoutes("openai:text-embedding-3-small"));
    }

    private static ModelCall call(ModelPolicy policy) {
        return new ModelCall(ACME, UserId.of("alice"), RunId.of("run-1"), WRITER, policy);
    }

    private static ChatRequest question() {
        return ChatRequest.of(ChatMessage.user("What is the capital of France?"));
    }

    private List<CostEntry> entries() {
        return ledger.entries(SpendQuery.allWorkspaces(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")));
    }

    @Test
    void routes_each_policy_to_its_first_route() {
        standardGateway();
        openai.enqueue(FakeReply.text("Paris.").withUsage(14, 2));
        anthropic.enqueue(FakeReply.text("Paris, of course.").withUsage(15, 4));

        ChatResponse cheap = gateway.chat(call(ModelPolicy.CHEAP), question());
        ChatResponse premium = gateway.chat(call(ModelPolicy.PREMIUM), question());

        assertThat(cheap.provider()).isEqualTo("openai");
        assertThat(cheap.model()).isEqualTo("gpt-4o-mini");
        assertThat(openai.lastRequest().json().path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(premium.provider()).isEqualTo("anthropic");
        assertThat(premium.text()).isEqualTo("Paris, of course.");
        assertThat(anthropic.lastRequest().json().path("model").asText()).isEqualTo("claude-opus-4-1");
        assertThat(cheap.cost())
                .isEqualByComparingTo(ModelPrice.of("0.15", "0.60").cost(14, 2));
        assertThat(premium.cost())
                .isEqualByComparingTo(ModelPrice.of("15", "75").cost(15, 4));
    }

    @Test
    void falls_back_to_the_next_provider_when_the_first_answers_500() {
        standardGateway();
        openai.enqueue(FakeReply.error(500, "internal error"), FakeReply.error(500, "internal error"));
        anthropic.enqueue(FakeReply.text("Paris.").withUsage(20, 2));

        ChatResponse response = gateway.chat(call(ModelPolicy.STANDARD), question());

        assertThat(response.provider()).isEqualTo("anthropic");
        assertThat(response.model()).isEqualTo("claude-sonnet-4-5");
        assertThat(openai.requestCount()).as("two attempts on the first route").isEqualTo(2);
        assertThat(anthropic.requestCount()).isEqualTo(1);
        assertThat(entries()).singleElement().satisfies(e -> {
            assertThat(e.provider()).isEqualTo("anthropic");
            assertThat(e.cost()).isEqualByComparingTo(response.cost());
        });
    }

    @Test
    void retries_a_rate_limit_then_succeeds_on_the_same_provider() {
        standardGateway();
        openai.enqueue(
                FakeReply.rateLimited(Duration.ofSeconds(1)),
                FakeReply.text("Paris.").withUsage(14, 2));

        ChatResponse response = gateway.chat(call(ModelPolicy.CHEAP), question());

        assertThat(response.text()).isEqualTo("Paris.");
        assertThat(response.provider()).isEqualTo("openai");
        assertThat(openai.requestCount()).isEqualTo(2);
        assertThat(entries()).hasSize(1);
    }

    @Test
    void gives_up_when_every_attempt_is_rate_limited() {
        standardGateway();
        openai.enqueue(FakeReply.rateLimited(Duration.ofSeconds(1)), FakeReply.rateLimited(Duration.ofSeconds(1)));

        assertThatThrownBy(() -> gateway.chat(call(ModelPolicy.CHEAP), question()))
                .isInstanceOf(dev.guildhall.core.gateway.RateLimitedException.class)
                .hasMessageContaining("Provider openai rate-limited the call");
        assertThat(entries()).isEmpty();
    }

    @Test
    void a_call_that_times_out_falls_back_to_the_next_provider() {
        gateway(GatewayOptions.builder()
                .routes(ModelPolicy.STANDARD, "openai:gpt-4o", "anthropic:claude-sonnet-4-5")
                .timeout(Duration.ofMillis(400)));
        openai.enqueue(FakeReply.hang(), FakeReply.hang());
        anthropic.enqueue(FakeReply.text("Paris.").withUsage(20, 2));

        ChatResponse response = gateway.chat(call(ModelPolicy.STANDARD), question());

        assertThat(response.provider()).isEqualTo("anthropic");
        assertThat(openai.requestCount()).isEqualTo(2);
    }

    @Test
    void a_call_abandoned_on_timeout_is_recorded_with_estimated_tokens() {
        gateway(GatewayOptions.builder()
                .routes(ModelPolicy.CHEAP, "openai:gpt-4o-mini")
                .timeout(Duration.ofMillis(200)));
        openai.enqueue(FakeReply.hang(), FakeReply.hang());
        long input = new CostEstimator(prices).inputTokens(question());

        assertThatThrownBy(() -> gateway.chat(call(ModelPolicy.CHEAP), question()))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("timed out");

        assertThat(openai.requestCount()).isEqualTo(2);
        assertThat(entries()).as("one entry per abandoned attempt").hasSize(2).allSatisfy(e -> {
            assertThat(e.provider()).isEqualTo("openai");
            assertThat(e.model()).isEqualTo("gpt-4o-mini");
            assertThat(e.estimatedTokens()).isTrue();
            assertThat(e.inputTokens()).isEqualTo(input).isPositive();
            assertThat(e.outputTokens()).isZero();
            assertThat(e.cost())
                    .isPositive()
                    .isEqualByComparingTo(ModelPrice.of("0.15", "0.60").cost(input, 0));
            assertThat(e.agent()).isEqualTo(WRITER);
        });
    }

    @Test
    void the_hard_limit_eventually_refuses_calls_that_keep_timing_out() {
        gateway(GatewayOptions.builder()
                .routes(ModelPolicy.PREMIUM, "anthropic:claude-opus-4-1")
                .timeout(Duration.ofMillis(200)));
        ChatRequest request = question().withMaxOutputTokens(1);
        BigDecimal perAttempt =
                prices.cost("anthropic", "claude-opus-4-1", new CostEstimator(prices).inputTokens(request), 0);
        // Room for three abandoned attempts; each call makes two, and the worst-case estimate of the next is more than
        // one.
        budgets.save(Budget.forWorkspace(
                ACME,
                BudgetPolicy.of(
                        BudgetPeriod.MONTHLY,
                        null,
                        perAttempt.multiply(BigDecimal.valueOf(3)).toPlainString())));
        anthropic.enqueue(FakeReply.hang(), FakeReply.hang(), FakeReply.hang(), FakeReply.hang());

        assertThatThrownBy(() -> gateway.chat(call(ModelPolicy.PREMIUM), request))
                .isInstanceOf(ProviderUnavailableException.class);
        assertThatThrownBy(() -> gateway.chat(call(ModelPolicy.PREMIUM), request))
                .isInstanceOfSatisfying(BudgetExceededException.class, e -> assertThat(e.spent())
                        .isEqualByComparingTo(perAttempt.multiply(BigDecimal.valueOf(2))));

        assertThat(anthropic.requestCount()).isEqualTo(2);
        assertThat(ledger.totalCost(
                        SpendQuery.forWorkspace(ACME, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"))))
                .isEqualByComparingTo(perAttempt.multiply(BigDecimal.valueOf(2)));
    }

    @Test
    void a_cached_answer_costs_nothing_and_does_not_reach_the_server() {
        standardGateway();
        openai.enqueue(FakeReply.text("Paris.").withUsage(14, 2));
        ChatRequest deterministic = new ChatRequest(question().messages(), List.of(), null, 100, 0.0);

        ChatResponse first = gateway.chat(call(ModelPolicy.CHEAP), deterministic);
        ChatResponse second = gateway.chat(
                call(ModelPolicy.CHEAP), new ChatRequest(question().messages(), List.of(), null, 100, 0.0));

        assertThat(openai.requestCount()).isEqualTo(1);
        assertThat(first.cached()).isFalse();
        assertThat(first.cost()).isPositive();
        assertThat(second.cached()).isTrue();
        assertThat(second.text()).isEqualTo(first.text());
        assertThat(second.provider()).isEqualTo("openai");
        assertThat(second.cost()).isEqualByComparingTo("0");
        assertThat(entries())
                .extracting(CostEntry::cached, e -> e.cost().signum())
                .containsExactly(tuple(false, 1), tuple(true, 0));
    }

    @Test
    void does_not_cache_requests_with_a_temperature_above_zero() {
        standardGateway();
        openai.enqueue(FakeReply.text("Paris."), FakeReply.text("Paris!"));
        ChatRequest creative = new ChatRequest(question().messages(), List.of(), null, 100, 0.7);

        gateway.chat(call(ModelPolicy.CHEAP), creative);
        ChatResponse again = gateway.chat(call(ModelPolicy.CHEAP), creative);

        assertThat(again.cached()).isFalse();
        assertThat(openai.requestCount()).isEqualTo(2);
    }

    @Test
    void records_every_call_in_the_ledger_including_streamed_ones_with_real_usage() {
        standardGateway();
        openai.enqueue(
                FakeReply.text("Paris.").withUsage(14, 2),
                FakeReply.text("The capital is Paris.").withUsage(25, 6));
        anthropic.enqueue(FakeReply.text("Paris it is.").withUsage(30, 5));
        List<String> streamed = new CopyOnWriteArrayList<>();

        gateway.chat(call(ModelPolicy.CHEAP), question());
        ChatResponse openAiStream = gateway.chatStreaming(call(ModelPolicy.STANDARD), question(), streamed::add);
        ChatResponse anthropicStream = gateway.chatStreaming(call(ModelPolicy.PREMIUM), question(), p -> {});

        assertThat(String.join("", streamed)).isEqualTo("The capital is Paris.");
        assertThat(openAiStream.usage()).isEqualTo(new TokenUsage(25, 6, false));
        assertThat(anthropicStream.usage()).isEqualTo(new TokenUsage(30, 5, false));
        assertThat(entries())
                .extracting(
                        CostEntry::provider,
                        CostEntry::model,
                        CostEntry::inputTokens,
                        CostEntry::outputTokens,
                        CostEntry::streamed,
                        CostEntry::estimatedTokens)
                .containsExactly(
                        tuple("openai", "gpt-4o-mini", 14L, 2L, false, false),
                        tuple("openai", "gpt-4o", 25L, 6L, true, false),
                        tuple("anthropic", "claude-opus-4-1", 30L, 5L, true, false));
        assertThat(entries()).allSatisfy(e -> {
            assertThat(e.workspace()).isEqualTo(ACME);
            assertThat(e.user()).isEqualTo(UserId.of("alice"));
            assertThat(e.run()).isEqualTo(RunId.of("run-1"));
            assertThat(e.agent()).isEqualTo(WRITER);
            assertThat(e.cost()).isPositive();
        });
        assertThat(entries().get(1).cost())
                .isEqualByComparingTo(ModelPrice.of("2.50", "10.00").cost(25, 6));
    }

    @Test
    void a_stream_without_reported_usage_is_counted_and_flagged_estimated() {
        standardGateway();
        openai.enqueue(FakeReply.text("The capital of France is Paris.").withoutUsage());

        ChatResponse response = gateway.chatStreaming(call(ModelPolicy.CHEAP), question(), p -> {});

        assertThat(response.usage().estimated()).isTrue();
        assertThat(response.usage().inputTokens()).isPositive();
        assertThat(response.usage().outputTokens()).isEqualTo(7);
        assertThat(response.cost()).isPositive();
        assertThat(entries()).singleElement().satisfies(e -> {
            assertThat(e.estimatedTokens()).isTrue();
            assertThat(e.outputTokens()).isEqualTo(7);
            assertThat(e.streamed()).isTrue();
        });
    }

    @Test
    void a_soft_limit_moves_the_call_one_policy_down() {
        standardGateway();
        budgets.save(Budget.forWorkspace(ACME, BudgetPolicy.of(BudgetPeriod.MONTHLY, "1.00", "100")));
        ledger.record(spent("1.00"));
        openai.enqueue(FakeReply.text("Paris.").withUsage(14, 2));

        ChatResponse response = gateway.chat(call(ModelPolicy.PREMIUM), question());

        assertThat(response.provider()).isEqualTo("openai");
        assertThat(response.model()).isEqualTo("gpt-4o");
        assertThat(anthropic.requestCount())
                .as("the premium model was not called")
                .isZero();
        assertThat(openai.lastRequest().json().path("model").asText()).isEqualTo("gpt-4o");
        CostEntry recorded = entries().get(1);
        assertThat(recorded.requestedPolicy()).isEqualTo(ModelPolicy.PREMIUM);
        assertThat(recorded.policy()).isEqualTo(ModelPolicy.STANDARD);
        assertThat(recorded.downgraded()).isTrue();
    }

    @Test
    void a_hard_limit_refuses_the_call_before_any_request_is_sent() {
        standardGateway();
        budgets.save(Budget.forWorkspace(ACME, BudgetPolicy.of(BudgetPeriod.MONTHLY, null, "0.05")));
        ledger.record(spent("0.04"));
        anthropic.enqueue(FakeReply.text("expensive"));
        ChatRequest big = question().withMaxOutputTokens(4_000);

        assertThatThrownBy(() -> gateway.chat(call(ModelPolicy.PREMIUM), big))
                .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
                    assertThat(e.scope()).isEqualTo("workspace acme (monthly)");
                    assertThat(e.limit()).isEqualByComparingTo("0.05");
                    assertThat(e.spent()).isEqualByComparingTo("0.04");
                    assertThat(e.estimate()).isGreaterThan(new BigDecimal("0.29"));
                })
                .hasMessageStartingWith("Budget of workspace acme (monthly) exceeded: hard limit 0.05, spent 0.04");
        assertThatThrownBy(() -> gateway.chatStreaming(call(ModelPolicy.PREMIUM), big, p -> {}))
                .isInstanceOf(BudgetExceededException.class);
        assertThat(anthropic.requestCount()).isZero();
        assertThat(openai.requestCount()).isZero();
        assertThat(entries()).hasSize(1);
    }

    @Test
    void a_user_budget_stops_that_user_only() {
        standardGateway();
        budgets.save(Budget.forUser(ACME, UserId.of("alice"), BudgetPolicy.of(BudgetPeriod.DAILY, null, "0.001")));
        openai.enqueue(FakeReply.text("Paris.").withUsage(14, 2));
        ModelCall alice = call(ModelPolicy.CHEAP);
        ModelCall bob = new ModelCall(ACME, UserId.of("bob"), null, WRITER, ModelPolicy.CHEAP);
        ChatRequest request = question().withMaxOutputTokens(2_000);

        assertThatThrownBy(() -> gateway.chat(alice, request))
                .isInstanceOf(BudgetExceededException.class)
                .hasMessageContaining("user alice in workspace acme (daily)");
        assertThat(gateway.chat(bob, request).text()).isEqualTo("Paris.");
        assertThat(openai.requestCount()).isEqualTo(1);
    }

    @Test
    void answers_spend_queries_by_agent_model_and_day() {
        standardGateway();
        openai.enqueue(
                FakeReply.text("a").withUsage(1_000, 100),
                FakeReply.text("b").withUsage(2_000, 200),
                FakeReply.text("c").withUsage(500, 50));
        anthropic.enqueue(FakeReply.text("d").withUsage(1_000, 100));

        gateway.chat(call(ModelPolicy.CHEAP), question());
        gateway.chat(new ModelCall(ACME, null, null, ROUTER, ModelPolicy.CHEAP), question());
        clock.advance(Duration.ofDays(1));
        gateway.chat(call(ModelPolicy.CHEAP), question());
        gateway.chat(call(ModelPolicy.PREMIUM), question());
        SpendQuery march = SpendQuery.forWorkspace(
                ACME, Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));

        List<SpendRow> byAgent = ledger.spend(march.groupBy(GroupBy.AGENT));
        List<SpendRow> byModel = ledger.spend(march.groupBy(GroupBy.MODEL));
        List<SpendRow> byDay = ledger.spend(march.groupBy(GroupBy.DAY));

        assertThat(byAgent)
                .extracting(r -> r.agent().value(), SpendRow::calls, SpendRow::inputTokens)
                .containsExactly(tuple("router", 1L, 2_000L), tuple("writer", 3L, 2_500L));
        assertThat(byModel)
                .extracting(SpendRow::provider, SpendRow::model, SpendRow::calls)
                .containsExactly(tuple("anthropic", "claude-opus-4-1", 1L), tuple("openai", "gpt-4o-mini", 3L));
        assertThat(byModel.get(1).cost())
                .isEqualByComparingTo(ModelPrice.of("0.15", "0.60").cost(3_500, 350));
        assertThat(byDay)
                .extracting(SpendRow::day, SpendRow::calls)
                .containsExactly(tuple(LocalDate.parse("2026-03-10"), 2L), tuple(LocalDate.parse("2026-03-11"), 2L));
        assertThat(ledger.totalCost(march))
                .isEqualByComparingTo(byDay.get(0).cost().add(byDay.get(1).cost()));
    }

    @Test
    void a_model_without_a_price_costs_zero_and_still_answers() {
        gateway(GatewayOptions.builder().routes(ModelPolicy.CHEAP, "openai:ft:gpt-4o-mini:acme::abc123"));
        openai.enqueue(FakeReply.text("Paris.").withUsage(14, 2));

        ChatResponse response = gateway.chat(call(ModelPolicy.CHEAP), question());

        assertThat(response.model()).isEqualTo("ft:gpt-4o-mini:acme::abc123");
        assertThat(response.cost()).isEqualByComparingTo("0");
        assertThat(entries()).singleElement().satisfies(e -> assertThat(e.inputTokens())
                .isEqualTo(14));

        gateway.prices().put("openai:ft:gpt-4o-mini:acme::abc123", ModelPrice.of("0.30", "1.20"));
        openai.enqueue(FakeReply.text("Paris.").withUsage(14, 2));
        assertThat(gateway.chat(call(ModelPolicy.CHEAP), question()).cost())
                .isEqualByComparingTo(ModelPrice.of("0.30", "1.20").cost(14, 2));
    }

    @Test
    void embeds_and_records_the_cost() {
        standardGateway();

        EmbeddingResponse response = gateway.embed(call(ModelPolicy.CHEAP), List.of("first document", "second one"));
        openai.enqueue(FakeReply.embeddings().withoutUsage());
        EmbeddingResponse estimated = gateway.embed(call(ModelPolicy.CHEAP), List.of("third document"));

        assertThat(response.vectors()).hasSize(2);
        assertThat(response.dimension()).isEqualTo(8);
        assertThat(response.model()).isEqualTo("text-embedding-3-small");
        assertThat(response.usage()).isEqualTo(new TokenUsage(4, 0, false));
        assertThat(estimated.usage().estimated()).isTrue();
        assertThat(estimated.usage().inputTokens()).isPositive();
        assertThat(entries())
                .extracting(CostEntry::kind, CostEntry::inputTokens)
                .containsExactly(
                        tuple(CostEntry.Kind.EMBEDDING, 4L),
                        tuple(CostEntry.Kind.EMBEDDING, estimated.usage().inputTokens()));
    }

    @Test
    void a_provider_that_is_down_is_reported_unavailable_after_its_retries() {
        standardGateway();
        openai.close();

        assertThatThrownBy(() -> gateway.chatStreaming(call(ModelPolicy.CHEAP), question(), p -> {}))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("connection failed");
    }

    private static CostEntry spent(String cost) {
        return new CostEntry(
                Instant.parse("2026-03-02T10:00:00Z"),
                ACME,
                null,
                null,
                null,
                CostEntry.Kind.CHAT,
                "openai",
                "gpt-4o",
                ModelPolicy.STANDARD,
                ModelPolicy.STANDARD,
                1,
                1,
                false,
                Duration.ZERO,
                new BigDecimal(cost),
                false,
                false);
    }
}
