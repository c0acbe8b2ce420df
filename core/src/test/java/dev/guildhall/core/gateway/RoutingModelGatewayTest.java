package dev.guildhall.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.cost.CostEstimator;
import dev.guildhall.core.cost.InMemoryBudgetStore;
import dev.guildhall.core.cost.InMemoryCostLedger;
import dev.guildhall.core.cost.ModelPrice;
import dev.guildhall.core.cost.PriceTable;
import dev.guildhall.core.cost.SpendQuery;
import dev.guildhall.core.retry.RetryPolicy;
import dev.guildhall.core.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Unit tests of the routing rules with in-process providers. The behaviour against real wire
 * formats (retries on HTTP 429, timeouts, streaming, budgets) is covered by {@code RoutingModelGatewayIT}
 * in the providers module, against fake OpenAI and Anthropic servers.
 */
class RoutingModelGatewayTest {
    private static final WorkspaceId ACME = WorkspaceId.of("acme");
    private static final RetryPolicy FAST = RetryPolicy.builder()
            .maxAttempts(2)
            .initialInterval(Duration.ofMillis(1))
            .maximumInterval(Duration.ofMillis(5))
            .jitter(0)
            .build();

    private final MutableClock clock = MutableClock.at("2026-03-17T12:00:00Z");
    private final InMemoryCostLedger ledger = new InMemoryCostLedger();
    private final List<RoutingModelGateway> gateways = new ArrayList<>();

    @AfterEach
    void close() {
        gateways.forEach(RoutingModelGateway::close);
    }

    @Test
    void retry_delay_is_the_backoff_unless_the_provider_asked_for_longer_within_the_cap() {
        RetryPolicy policy = RetryPolicy.builder()
                .initialInterval(Duration.ofMillis(100))
                .maximumInterval(Duration.ofSeconds(2))
                .jitter(0)
                .build();
        Random random = new Random(1);

        assertThat(RoutingModelGateway.retryDelay(
                        policy, 2, new ProviderUnavailableException("p", 500, "boom"), random))
                .isEqualTo(Duration.ofMillis(100));
        assertThat(RoutingModelGateway.retryDelay(policy, 3, new RateLimitedException("p", null, "slow down"), random))
                .isEqualTo(Duration.ofMillis(200));
        assertThat(RoutingModelGateway.retryDelay(
                        policy, 2, new RateLimitedException("p", Duration.ofSeconds(1), "slow down"), random))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(RoutingModelGateway.retryDelay(
                        policy, 2, new RateLimitedException("p", Duration.ofMinutes(5), "slow down"), random))
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void refuses_routes_to_providers_that_are_not_configured() {
        GatewayOptions options = GatewayOptions.builder()
                .routes(ModelPolicy.CHEAP, "openai:gpt-4o-mini")
                .build();

        assertThatThrownBy(() -> RoutingModelGateway.builder()
                        .options(options)
                        .chatProvider(new Scripted("anthropic"))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "route openai:gpt-4o-mini of policy cheap names provider openai, which is not configured (configured: [anthropic])");
    }

    @Test
    void names_the_policy_that_has_no_route() {
        RoutingModelGateway gateway = gateway(
                GatewayOptions.builder().routes(ModelPolicy.CHEAP, "a:m").build(), new Scripted("a"));

        assertThat(gateway.chatAvailable()).isTrue();
        assertThat(gateway.embeddingsAvailable()).isFalse();
        assertThatThrownBy(() ->
                        gateway.chat(ModelCall.of(ACME, ModelPolicy.PREMIUM), ChatRequest.of(ChatMessage.user("hi"))))
                .isInstanceOf(ModelUnavailableException.class)
                .hasMessage("no chat provider configured for model policy premium");
        assertThatThrownBy(() ->
                        gateway.chat(ModelCall.of(ACME, ModelPolicy.NONE), ChatRequest.of(ChatMessage.user("hi"))))
                .isInstanceOf(ModelUnavailableException.class)
                .hasMessageContaining("model policy none");
        assertThatThrownBy(() -> gateway.embed(ModelCall.of(ACME, ModelPolicy.CHEAP), List.of("x")))
                .isInstanceOf(ModelUnavailableException.class)
                .hasMessage("no embedding provider configured");
    }

    @Test
    void a_provider_that_breaks_its_contract_is_skipped_without_retry() {
        Scripted broken = new Scripted("a");
        broken.next(() -> {
            throw new IllegalStateException("bug");
        });
        Scripted good = new Scripted("b");
        good.next(() -> ProviderResult.text("fine", new TokenUsage(5, 1, false)));
        RoutingModelGateway gateway = gateway(
                GatewayOptions.builder()
                        .retryPolicy(FAST)
                        .routes(ModelPolicy.CHEAP, "a:m", "b:m")
                        .build(),
                broken,
                good);

        ChatResponse response =
                gateway.chat(ModelCall.of(ACME, ModelPolicy.CHEAP), ChatRequest.of(ChatMessage.user("hi")));

        assertThat(response.text()).isEqualTo("fine");
        assertThat(response.provider()).isEqualTo("b");
        assertThat(broken.calls).isEqualTo(1);
    }

    @Test
    void reports_the_transient_failure_when_every_route_failed() {
        Scripted rejecting = new Scripted("a");
        rejecting.next(() -> {
            throw new ProviderRejectedException("a", 401, "bad key");
        });
        Scripted down = new Scripted("b");
        for (int i = 0; i < 2; i++) {
            down.next(() -> {
                throw new ProviderUnavailableException("b", 503, "overloaded");
            });
        }
        RoutingModelGateway gateway = gateway(
                GatewayOptions.builder()
                        .retryPolicy(FAST)
                        .routes(ModelPolicy.CHEAP, "a:m", "b:m")
                        .build(),
                rejecting,
                down);

        assertThatThrownBy(() ->
                        gateway.chat(ModelCall.of(ACME, ModelPolicy.CHEAP), ChatRequest.of(ChatMessage.user("hi"))))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessage("Provider b unavailable (HTTP 503): overloaded")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2));
        assertThat(rejecting.calls).as("a rejection is not retried").isEqualTo(1);
        assertThat(down.calls).isEqualTo(2);
        assertThat(ledger.entries(
                        SpendQuery.allWorkspaces(Instant.EPOCH, clock.instant().plusSeconds(1))))
                .isEmpty();
    }

    @Test
    void counts_tokens_when_the_provider_reports_none() {
        Scripted silent = new Scripted("a");
        silent.next(() -> ProviderResult.text("Paris is the capital of France.", null));
        RoutingModelGateway gateway = gateway(
                GatewayOptions.builder().routes(ModelPolicy.CHEAP, "a:m").build(), silent);

        ChatResponse response = gateway.chat(
                ModelCall.of(ACME, ModelPolicy.CHEAP), ChatRequest.of(ChatMessage.user("Capital of France?")));

        assertThat(response.usage().estimated()).isTrue();
        assertThat(response.usage().inputTokens()).isPositive();
        assertThat(response.usage().outputTokens()).isEqualTo(7);
    }

    @Test
    void does_not_retry_a_stream_that_already_delivered_text() {
        Scripted flaky = new Scripted("a");
        flaky.streamNext(listener -> {
            listener.onPartialText("Hel");
            throw new ProviderUnavailableException("a", ProviderUnavailableException.NO_STATUS, "stream broke");
        });
        Scripted backup = new Scripted("b");
        RoutingModelGateway gateway = gateway(
                GatewayOptions.builder()
                        .retryPolicy(FAST)
                        .routes(ModelPolicy.CHEAP, "a:m", "b:m")
                        .build(),
                flaky,
                backup);
        List<String> seen = new ArrayList<>();

        assertThatThrownBy(() -> gateway.chatStreaming(
                        ModelCall.of(ACME, ModelPolicy.CHEAP), ChatRequest.of(ChatMessage.user("hi")), seen::add))
                .hasMessageContaining("stream broke");
        assertThat(seen).containsExactly("Hel");
        assertThat(flaky.calls).isEqualTo(1);
        assertThat(backup.calls).isZero();
    }

    @Test
    void text_an_abandoned_stream_sends_after_its_timeout_never_reaches_the_listener() throws InterruptedException {
        CountDownLatch fallbackStarted = new CountDownLatch(1);
        CountDownLatch lateTextSent = new CountDownLatch(1);
        Scripted slow = new Scripted("a");
        slow.streamNext(listener -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException timedOut) {
                // The gateway gave up; this provider ignores that and streams on once the fallback runs.
            }
            awaitUninterruptibly(fallbackStarted);
            listener.onPartialText("late text from a");
            lateTextSent.countDown();
            return ProviderResult.text("late text from a", null);
        });
        Scripted backup = new Scripted("b");
        backup.streamNext(listener -> {
            fallbackStarted.countDown();
            listener.onPartialText("Paris.");
            return ProviderResult.text("Paris.", new TokenUsage(5, 2, false));
        });
        RoutingModelGateway gateway = gateway(
                GatewayOptions.builder()
                        .retryPolicy(RetryPolicy.NONE)
                        .timeout(Duration.ofMillis(100))
                        .routes(ModelPolicy.CHEAP, "a:m", "b:m")
                        .build(),
                slow,
                backup);
        List<String> seen = new CopyOnWriteArrayList<>();

        ChatResponse response = gateway.chatStreaming(
                ModelCall.of(ACME, ModelPolicy.CHEAP), ChatRequest.of(ChatMessage.user("hi")), seen::add);

        assertThat(response.provider()).isEqualTo("b");
        assertThat(lateTextSent.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly("Paris.");
    }

    @Test
    void a_stream_that_broke_after_delivering_text_is_recorded_with_estimated_tokens() {
        PriceTable prices = PriceTable.empty().put("a:m", ModelPrice.of("3", "15"));
        Scripted flaky = new Scripted("a");
        flaky.streamNext(listener -> {
            listener.onPartialText("The capital of France ");
            throw new ProviderUnavailableException("a", 529, "overloaded");
        });
        RoutingModelGateway gateway = gateway(
                GatewayOptions.builder()
                        .retryPolicy(FAST)
                        .routes(ModelPolicy.CHEAP, "a:m")
                        .build(),
                prices,
                flaky);
        ChatRequest request = ChatRequest.of(ChatMessage.user("What is the capital of France?"));
        CostEstimator estimator = new CostEstimator(prices);
        long input = estimator.inputTokens(request);

        assertThatThrownBy(() -> gateway.chatStreaming(ModelCall.of(ACME, ModelPolicy.CHEAP), request, p -> {}))
                .isInstanceOf(ProviderUnavailableException.class);

        assertThat(ledger.entries(
                        SpendQuery.allWorkspaces(Instant.EPOCH, clock.instant().plusSeconds(1))))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.provider()).isEqualTo("a");
                    assertThat(e.estimatedTokens()).isTrue();
                    assertThat(e.streamed()).isTrue();
                    assertThat(e.inputTokens()).isEqualTo(input);
                    assertThat(e.outputTokens())
                            .isEqualTo(estimator.countTokens("The capital of France "))
                            .isPositive();
                    assertThat(e.cost())
                            .isEqualByComparingTo(ModelPrice.of("3", "15").cost(input, e.outputTokens()));
                });
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException ignored) {
                // Keep waiting: the test releases the latch.
            }
        }
    }

    private RoutingModelGateway gateway(GatewayOptions options, ChatProvider... providers) {
        RoutingModelGateway gateway = new RoutingModelGateway(
                options, List.of(providers), List.of(), ledger, new InMemoryBudgetStore(), PriceTable.empty(), clock);
        gateways.add(gateway);
        return gateway;
    }

    private RoutingModelGateway gateway(GatewayOptions options, PriceTable prices, ChatProvider... providers) {
        RoutingModelGateway gateway = new RoutingModelGateway(
                options, List.of(providers), List.of(), ledger, new InMemoryBudgetStore(), prices, clock);
        gateways.add(gateway);
        return gateway;
    }

    /** A provider that answers from a script, one step per call. */
    private static final class Scripted implements ChatProvider {
        private final String name;
        private final Deque<Object> steps = new ArrayDeque<>();
        int calls;

        Scripted(String name) {
            this.name = name;
        }

        void next(Supplier<ProviderResult> step) {
            steps.add(step);
        }

        void streamNext(java.util.function.Function<StreamListener, ProviderResult> step) {
            steps.add(step);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        @SuppressWarnings("unchecked") // The script holds the step type the test queued for this kind of call.
        public synchronized ProviderResult chat(String model, ChatRequest request, Duration timeout) {
            calls++;
            return ((Supplier<ProviderResult>) steps.remove()).get();
        }

        @Override
        @SuppressWarnings("unchecked") // See chat.
        public synchronized ProviderResult stream(
                String model, ChatRequest request, StreamListener listener, Duration timeout) {
            calls++;
            return ((java.util.function.Function<StreamListener, ProviderResult>) steps.remove()).apply(listener);
        }
    }
}
