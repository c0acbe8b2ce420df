package dev.guildhall.core.gateway;

import dev.guildhall.core.Checks;
import dev.guildhall.core.GuildhallException;
import dev.guildhall.core.RetryableException;
import dev.guildhall.core.cost.BudgetAdmission;
import dev.guildhall.core.cost.BudgetService;
import dev.guildhall.core.cost.BudgetStore;
import dev.guildhall.core.cost.CostEntry;
import dev.guildhall.core.cost.CostEstimator;
import dev.guildhall.core.cost.CostLedger;
import dev.guildhall.core.cost.InMemoryBudgetStore;
import dev.guildhall.core.cost.InMemoryCostLedger;
import dev.guildhall.core.cost.PriceTable;
import dev.guildhall.core.retry.RetryPolicy;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ModelGateway} that routes each call by its {@link ModelPolicy} to configured providers.
 * For one chat call it:
 *
 * <ol>
 *   <li>serves a deterministic, non-streamed request from the {@link ResponseCache} when it can (cost 0, recorded as cached);
 *   <li>estimates the worst-case cost on the first route and asks the {@link BudgetService}: a hard limit
 *       refuses the call with {@link dev.guildhall.core.cost.BudgetExceededException} before anything is sent,
 *       a soft limit moves it one policy down ({@link ModelPolicy#cheaper()});
 *   <li>tries the policy's routes in order, each with the per-call timeout, retrying rate limits and
 *       server errors with the {@link RetryPolicy}'s backoff (honouring {@code Retry-After}), and falling
 *       back to the next route when one fails; a streamed call that already delivered text is not
 *       retried, because the listener would see the answer twice;
 *   <li>records the call in the {@link CostLedger} with the provider's token usage, or with usage counted
 *       by the {@link CostEstimator} and flagged estimated when the provider reported none;
 *   <li>records, with estimated tokens, every failed attempt the provider probably billed: one given up
 *       while in flight (a timeout or an interrupt) and a stream that failed after delivering text. A
 *       refusal with an HTTP status (429, 5xx, other 4xx) came before any work and is not recorded.
 * </ol>
 *
 * <p>A streamed attempt that fails or is given up can no longer reach the listener: text its provider
 * sends later is dropped, so the listener never sees an abandoned route's text mixed with the next one's.
 *
 * <p>Thread-safe. It owns a pool of daemon threads that enforce the timeout; {@link #close()} stops it.
 */
public final class RoutingModelGateway implements ModelGateway, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingModelGateway.class);

    private final GatewayOptions options;
    private final Map<String, ChatProvider> chatProviders;
    private final Map<String, EmbeddingProvider> embeddingProviders;
    private final CostLedger ledger;
    private final BudgetService budgets;
    private final PriceTable prices;
    private final CostEstimator estimator;
    private final ResponseCache cache;
    private final Clock clock;
    private final ExecutorService executor;
    private final Random random = new Random();

    /**
     * @param chatProviders the chat providers the routes name; names must be unique
     * @param embeddingProviders the embedding providers the embedding routes name
     * @param budgetStore the budgets calls must fit, counted against {@code ledger}
     * @throws IllegalArgumentException when a route names a provider that is not given
     */
    public RoutingModelGateway(
            GatewayOptions options,
            List<? extends ChatProvider> chatProviders,
            List<? extends EmbeddingProvider> embeddingProviders,
            CostLedger ledger,
            BudgetStore budgetStore,
            PriceTable prices,
            Clock clock) {
        this.options = Checks.notNull(options, "options");
        this.chatProviders =
                byName(Checks.notNull(chatProviders, "chatProviders"), ChatProvider::name, "chat provider");
        this.embeddingProviders = byName(
                Checks.notNull(embeddingProviders, "embeddingProviders"),
                EmbeddingProvider::name,
                "embedding provider");
        this.ledger = Checks.notNull(ledger, "ledger");
        this.prices = Checks.notNull(prices, "prices");
        this.clock = Checks.notNull(clock, "clock");
        this.budgets = new BudgetService(Checks.notNull(budgetStore, "budgetStore"), ledger, clock);
        this.estimator = new CostEstimator(prices);
        this.cache = options.cacheSize() == 0
                ? ResponseCache.disabled()
                : new ResponseCache(options.cacheSize(), options.cacheTtl(), clock);
        options.chatRoutes()
                .forEach((policy, routes) -> routes.forEach(
                        route -> requireProvider(this.chatProviders, route, "policy " + policy.wireName())));
        options.embeddingRoutes().forEach(route -> requireProvider(this.embeddingProviders, route, "embeddings"));
        this.executor = Executors.newCachedThreadPool(daemonThreads());
    }

    public static Builder builder() {
        return new Builder();
    }

    public GatewayOptions options() {
        return options;
    }

    public CostLedger ledger() {
        return ledger;
    }

    public BudgetService budgets() {
        return budgets;
    }

    /** The live price table: edits apply to the next call. */
    public PriceTable prices() {
        return prices;
    }

    public ResponseCache cache() {
        return cache;
    }

    @Override
    public boolean chatAvailable() {
        return !options.chatRoutes().isEmpty();
    }

    @Override
    public boolean embeddingsAvailable() {
        return !options.embeddingRoutes().isEmpty();
    }

    @Override
    public ChatResponse chat(ModelCall call, ChatRequest request) {
        Checks.notNull(call, "call");
        Checks.notNull(request, "request");
        return execute(call, request, null);
    }

    @Override
    public ChatResponse chatStreaming(ModelCall call, ChatRequest request, StreamListener listener) {
        Checks.notNull(call, "call");
        Checks.notNull(request, "request");
        Checks.notNull(listener, "listener");
        return execute(call, request, listener);
    }

    @Override
    public EmbeddingResponse embed(ModelCall call, List<String> texts) {
        Checks.notNull(call, "call");
        Checks.notEmpty(texts, "texts");
        List<String> input = List.copyOf(texts);
        List<ModelRoute> routes = options.embeddingRoutes();
        if (routes.isEmpty()) {
            throw new ModelUnavailableException("no embedding provider configured");
        }
        Function<ModelRoute, BigDecimal> estimate = route -> estimator.embeddingCost(route, input);
        SpentAttempt spent = (route, delivered, latency) -> {
            long tokens = estimator.estimateEmbeddingUsage(input).inputTokens();
            record(
                    call,
                    CostEntry.Kind.EMBEDDING,
                    route.provider(),
                    route.model(),
                    call.policy(),
                    call.policy(),
                    tokens,
                    0,
                    true,
                    latency,
                    prices.cost(route.provider(), route.model(), tokens, 0),
                    false,
                    false);
        };
        try (Attempts<ProviderEmbeddings> attempts =
                new Attempts<>(call, routes, admit(call, estimate.apply(routes.get(0))), estimate, null, spent)) {
            Attempted<ProviderEmbeddings> done = attempts.run((route, output) -> {
                ProviderEmbeddings result =
                        embeddingProviders.get(route.provider()).embed(route.model(), input, options.timeout());
                if (result.vectors().size() != input.size()) {
                    throw new ProviderUnavailableException(
                            route.provider(),
                            ProviderUnavailableException.NO_STATUS,
                            "returned %d vectors for %d texts"
                                    .formatted(result.vectors().size(), input.size()));
                }
                return result;
            });
            ModelRoute route = done.route();
            TokenUsage reported = done.result().usage();
            TokenUsage usage = reported == null || reported.inputTokens() == 0
                    ? estimator.estimateEmbeddingUsage(input)
                    : reported;
            BigDecimal cost = prices.cost(route.provider(), route.model(), usage.inputTokens(), 0);
            record(
                    call,
                    CostEntry.Kind.EMBEDDING,
                    route.provider(),
                    route.model(),
                    call.policy(),
                    call.policy(),
                    usage.inputTokens(),
                    0,
                    usage.estimated(),
                    done.latency(),
                    cost,
                    false,
                    false);
            List<float[]> vectors = done.result().vectors();
            return new EmbeddingResponse(vectors, route.provider(), route.model(), vectors.get(0).length, usage);
        }
    }

    private ChatResponse execute(ModelCall call, ChatRequest request, @Nullable StreamListener listener) {
        boolean streamed = listener != null;
        ModelPolicy requested = call.policy();
        List<ModelRoute> routes = chatRoutes(requested);
        boolean cacheable = !streamed && cache.enabled() && ResponseCache.isCacheable(request);
        if (cacheable) {
            var hit = cache.find(new ResponseCache.Key(call.workspace(), requested, request));
            if (hit.isPresent()) {
                return servedFromCache(call, requested, requested, hit.get());
            }
        }
        ModelPolicy policy = requested;
        BudgetAdmission admission = admit(call, estimator.worstCaseCost(routes.get(0), request));
        if (admission.softLimitReached() && requested.cheaper() != requested) {
            List<ModelRoute> cheaper = options.routesFor(requested.cheaper());
            if (cheaper.isEmpty()) {
                LOG.warn(
                        "Model call (workspace={}, agent={}) crosses the soft limit of {} but policy {} has no routes; staying on {}",
                        call.workspace(),
                        call.agent(),
                        admission.softLimitScope().orElse("?"),
                        requested.cheaper().wireName(),
                        requested.wireName());
            } else {
                admission.close();
                policy = requested.cheaper();
                routes = cheaper;
                LOG.info(
                        "Model call (workspace={}, agent={}) moved from policy {} to {}: soft limit of {} reached",
                        call.workspace(),
                        call.agent(),
                        requested.wireName(),
                        policy.wireName(),
                        admission.softLimitScope().orElse("?"));
                if (cacheable) {
                    var hit = cache.find(new ResponseCache.Key(call.workspace(), policy, request));
                    if (hit.isPresent()) {
                        return servedFromCache(call, requested, policy, hit.get());
                    }
                }
                admission = admit(call, estimator.worstCaseCost(routes.get(0), request));
            }
        }
        Function<ModelRoute, BigDecimal> estimate = route -> estimator.worstCaseCost(route, request);
        ModelPolicy chosen = policy;
        SpentAttempt spent = (route, delivered, latency) -> {
            long input = estimator.inputTokens(request);
            long output = estimator.outputTokens(delivered, List.of());
            record(
                    call,
                    CostEntry.Kind.CHAT,
                    route.provider(),
                    route.model(),
                    chosen,
                    requested,
                    input,
                    output,
                    true,
                    latency,
                    prices.cost(route.provider(), route.model(), input, output),
                    false,
                    streamed);
        };
        try (Attempts<ProviderResult> attempts = new Attempts<>(call, routes, admission, estimate, listener, spent)) {
            Attempted<ProviderResult> done = attempts.run((route, output) -> {
                ChatProvider provider = chatProviders.get(route.provider());
                return streamed
                        ? provider.stream(route.model(), request, output, options.timeout())
                        : provider.chat(route.model(), request, options.timeout());
            });
            ChatResponse response = complete(call, requested, policy, request, done, streamed);
            if (cacheable) {
                cache.put(new ResponseCache.Key(call.workspace(), policy, request), response);
            }
            return response;
        }
    }

    private List<ModelRoute> chatRoutes(ModelPolicy policy) {
        if (policy == ModelPolicy.NONE) {
            throw new ModelUnavailableException(
                    "model policy none never calls a chat model; take the deterministic path");
        }
        List<ModelRoute> routes = options.routesFor(policy);
        if (routes.isEmpty()) {
            throw new ModelUnavailableException("no chat provider configured for model policy " + policy.wireName());
        }
        return routes;
    }

    private BudgetAdmission admit(ModelCall call, BigDecimal estimate) {
        return budgets.admit(call.workspace(), call.user(), estimate);
    }

    private ChatResponse complete(
            ModelCall call,
            ModelPolicy requested,
            ModelPolicy policy,
            ChatRequest request,
            Attempted<ProviderResult> done,
            boolean streamed) {
        ProviderResult result = done.result();
        ModelRoute route = done.route();
        TokenUsage usage = usage(request, result);
        BigDecimal cost = prices.cost(route.provider(), route.model(), usage.inputTokens(), usage.outputTokens());
        record(
                call,
                CostEntry.Kind.CHAT,
                route.provider(),
                route.model(),
                policy,
                requested,
                usage.inputTokens(),
                usage.outputTokens(),
                usage.estimated(),
                done.latency(),
                cost,
                false,
                streamed);
        return new ChatResponse(
                result.text(),
                result.toolCalls(),
                result.finishReason(),
                usage,
                route.provider(),
                route.model(),
                done.latency(),
                cost,
                false);
    }

    /** The provider's usage, with whatever it left at zero counted by the estimator and flagged estimated. */
    private TokenUsage usage(ChatRequest request, ProviderResult result) {
        TokenUsage reported = result.usage();
        if (reported == null || reported.totalTokens() == 0) {
            return estimator.estimateUsage(request, result.text(), result.toolCalls());
        }
        long input = reported.inputTokens();
        long output = reported.outputTokens();
        boolean estimated = reported.estimated();
        if (input == 0) {
            input = estimator.inputTokens(request);
            estimated = true;
        }
        if (output == 0 && (!result.text().isEmpty() || !result.toolCalls().isEmpty())) {
            output = estimator.outputTokens(result.text(), result.toolCalls());
            estimated = true;
        }
        return new TokenUsage(input, output, estimated);
    }

    private ChatResponse servedFromCache(
            ModelCall call, ModelPolicy requested, ModelPolicy policy, ChatResponse original) {
        record(
                call,
                CostEntry.Kind.CHAT,
                original.provider(),
                original.model(),
                policy,
                requested,
                0,
                0,
                false,
                Duration.ZERO,
                BigDecimal.ZERO,
                true,
                false);
        return new ChatResponse(
                original.text(),
                original.toolCalls(),
                original.finishReason(),
                TokenUsage.ZERO,
                original.provider(),
                original.model(),
                Duration.ZERO,
                BigDecimal.ZERO,
                true);
    }

    /** The pause before {@code nextAttempt}: the policy's backoff, or longer when the provider asked (capped at the policy's maximum). */
    static Duration retryDelay(RetryPolicy policy, int nextAttempt, GuildhallException failure, Random random) {
        Duration backoff = policy.delayBefore(nextAttempt, random);
        if (failure instanceof RateLimitedException limited
                && limited.retryAfter().isPresent()) {
            Duration asked = limited.retryAfter().get();
            Duration capped = asked.compareTo(policy.maximumInterval()) > 0 ? policy.maximumInterval() : asked;
            return capped.compareTo(backoff) > 0 ? capped : backoff;
        }
        return backoff;
    }

    /** Stops the timeout threads; calls in flight are interrupted. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** A provider call that succeeded, with the route that answered and how long it took. */
    private record Attempted<T>(ModelRoute route, T result, Duration latency) {}

    /** One attempt on {@code route}; a streamed call hands its text to {@code output}, never to the caller's listener directly. */
    @FunctionalInterface
    private interface RouteCall<T> {
        T call(ModelRoute route, StreamListener output);
    }

    /**
     * Records in the ledger what a failed attempt on {@code route} probably cost, with estimated
     * tokens; {@code delivered} is the text it streamed to the caller before failing.
     */
    @FunctionalInterface
    private interface SpentAttempt {
        void record(ModelRoute route, String delivered, Duration latency);
    }

    /**
     * The caller's listener as one attempt sees it. It keeps the text the attempt delivered and, once
     * closed, drops everything, so that a stream the gateway gave up on cannot mix its text into the
     * next route's answer. Delivering and closing hold the same lock: no text arrives after {@link
     * #close()} returns.
     */
    private static final class AttemptOutput implements StreamListener {
        private final @Nullable StreamListener target;
        private final StringBuilder text = new StringBuilder();
        private boolean delivered;
        private boolean closed;

        AttemptOutput(@Nullable StreamListener target) {
            this.target = target;
        }

        @Override
        public synchronized void onPartialText(String partial) {
            if (closed || target == null) {
                return;
            }
            delivered = true;
            text.append(partial);
            target.onPartialText(partial);
        }

        synchronized void close() {
            closed = true;
        }

        /** Whether any text reached the caller, after which the call must not be retried. */
        synchronized boolean delivered() {
            return delivered;
        }

        synchronized String text() {
            return text.toString();
        }
    }

    /**
     * Tries routes in order with retries, holding a budget admission for the route being tried. The
     * admission is re-taken with each route's own estimate, so a fallback to a dearer model is
     * checked against the hard limit too.
     */
    private final class Attempts<T> implements AutoCloseable {
        private final ModelCall call;
        private final List<ModelRoute> routes;
        private final Function<ModelRoute, BigDecimal> estimate;
        private final @Nullable StreamListener listener;
        private final SpentAttempt spent;
        private BudgetAdmission admission;

        Attempts(
                ModelCall call,
                List<ModelRoute> routes,
                BudgetAdmission first,
                Function<ModelRoute, BigDecimal> estimate,
                @Nullable StreamListener listener,
                SpentAttempt spent) {
            this.call = call;
            this.routes = routes;
            this.admission = first;
            this.estimate = estimate;
            this.listener = listener;
            this.spent = spent;
        }

        Attempted<T> run(RouteCall<T> routeCall) {
            List<GuildhallException> failures = new ArrayList<>();
            RetryPolicy retry = options.retryPolicy();
            for (int i = 0; i < routes.size(); i++) {
                ModelRoute route = routes.get(i);
                if (i > 0) {
                    admission.close();
                    admission = admit(call, estimate.apply(route));
                }
                for (int attempt = 1; ; attempt++) {
                    Instant start = clock.instant();
                    AttemptOutput output = new AttemptOutput(listener);
                    try {
                        T result = withTimeout(route, () -> routeCall.call(route, output));
                        return new Attempted<>(route, result, Duration.between(start, clock.instant()));
                    } catch (GuildhallException e) {
                        // From here on the attempt is over: whatever its provider still streams must not reach the
                        // caller.
                        output.close();
                        failures.add(e);
                        if (probablyBilled(e, output)) {
                            // Recorded while the admission still holds, so that the budget never loses sight of the
                            // spend.
                            spent.record(route, output.text(), Duration.between(start, clock.instant()));
                        }
                        if (output.delivered() || Thread.currentThread().isInterrupted()) {
                            throw finalFailure(failures);
                        }
                        if (e instanceof RetryableException && retry.allowsRetry(attempt, e.type(), false)) {
                            Duration delay = retryDelay(retry, attempt + 1, e, random);
                            LOG.debug(
                                    "Model call (workspace={}, route={}) attempt {} failed, retrying in {}: {}",
                                    call.workspace(),
                                    route,
                                    attempt,
                                    delay,
                                    e.getMessage());
                            sleep(delay, route);
                            continue;
                        }
                        if (i + 1 < routes.size()) {
                            LOG.warn(
                                    "Model call (workspace={}, route={}) failed after {} attempt(s), falling back to {}: {}",
                                    call.workspace(),
                                    route,
                                    attempt,
                                    routes.get(i + 1),
                                    e.getMessage());
                        }
                        break;
                    }
                }
            }
            throw finalFailure(failures);
        }

        @Override
        public void close() {
            admission.close();
        }
    }

    /**
     * Whether a failed attempt probably cost money: the provider was still working when the gateway
     * gave up, or it had already streamed text. A refusal with an HTTP status came before any work.
     */
    private static boolean probablyBilled(GuildhallException failure, AttemptOutput output) {
        return output.delivered()
                || failure instanceof ProviderUnavailableException unavailable && unavailable.abandoned();
    }

    private <T> T withTimeout(ModelRoute route, Callable<T> task) {
        Future<T> future = executor.submit(task);
        Duration timeout = options.timeout();
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw ProviderUnavailableException.timedOut(route.provider(), timeout, null);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw ProviderUnavailableException.interrupted(
                    route.provider(), "interrupted while waiting for the answer", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof GuildhallException g) {
                throw g;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            // A provider broke its contract by throwing something unmapped; do not retry it, but let the next route
            // try.
            throw new ProviderRejectedException(
                    route.provider(), ProviderRejectedException.NO_STATUS, "failed unexpectedly: " + cause, cause);
        }
    }

    private static void sleep(Duration delay, ModelRoute route) {
        try {
            TimeUnit.NANOSECONDS.sleep(delay.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderUnavailableException(
                    route.provider(), ProviderUnavailableException.NO_STATUS, "interrupted while backing off", e);
        }
    }

    /** The failure to report when no route answered: the last transient one if any (the call may work later), else the last. */
    private static GuildhallException finalFailure(List<GuildhallException> failures) {
        GuildhallException chosen = failures.get(failures.size() - 1);
        for (int i = failures.size() - 1; i >= 0; i--) {
            if (failures.get(i) instanceof RetryableException) {
                chosen = failures.get(i);
                break;
            }
        }
        for (GuildhallException f : failures) {
            if (f != chosen) {
                chosen.addSuppressed(f);
            }
        }
        return chosen;
    }

    private static <P> Map<String, P> byName(List<? extends P> providers, Function<P, String> name, String kind) {
        Map<String, P> map = new LinkedHashMap<>();
        for (P p : providers) {
            Checks.notNull(p, kind);
            if (map.put(Checks.notBlank(name.apply(p), kind + " name"), p) != null) {
                throw new IllegalArgumentException(kind + " names must be unique, was \"" + name.apply(p) + "\" twice");
            }
        }
        return Map.copyOf(map);
    }

    private static void requireProvider(Map<String, ?> providers, ModelRoute route, String where) {
        if (!providers.containsKey(route.provider())) {
            throw new IllegalArgumentException(
                    "route %s of %s names provider %s, which is not configured (configured: %s)"
                            .formatted(route, where, route.provider(), providers.keySet()));
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread t = new Thread(runnable, "guildhall-gateway-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Assembles a gateway; only the options are required. The defaults suit tests and single-process
     * use: an in-memory ledger and budget store, the shipped price table and the system UTC clock.
     */
    public static final class Builder {
        private GatewayOptions options = GatewayOptions.builder().build();
        private final List<ChatProvider> chatProviders = new ArrayList<>();
        private final List<EmbeddingProvider> embeddingProviders = new ArrayList<>();
        private CostLedger ledger;
        private BudgetStore budgetStore;
        private PriceTable prices;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        public Builder options(GatewayOptions options) {
            this.options = Checks.notNull(options, "options");
            return this;
        }

        public Builder chatProvider(ChatProvider provider) {
            chatProviders.add(Checks.notNull(provider, "provider"));
            return this;
        }

        public Builder embeddingProvider(EmbeddingProvider provider) {
            embeddingProviders.add(Checks.notNull(provider, "provider"));
            return this;
        }

        public Builder ledger(CostLedger ledger) {
            this.ledger = Checks.notNull(ledger, "ledger");
            return this;
        }

        public Builder budgetStore(BudgetStore budgetStore) {
            this.budgetStore = Checks.notNull(budgetStore, "budgetStore");
            return this;
        }

        public Builder prices(PriceTable prices) {
            this.prices = Checks.notNull(prices, "prices");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Checks.notNull(clock, "clock");
            return this;
        }

        public RoutingModelGateway build() {
            return new RoutingModelGateway(
                    options,
                    chatProviders,
                    embeddingProviders,
                    ledger == null ? new InMemoryCostLedger() : ledger,
                    budgetStore == null ? new InMemoryBudgetStore() : budgetStore,
                    prices == null ? PriceTable.defaults() : prices,
                    clock);
        }
    }

    /** Writes one ledger row for a call: every answered call, cache hit and abandoned attempt goes through here. */
    private void record(
            ModelCall call,
            CostEntry.Kind kind,
            String provider,
            String model,
            ModelPolicy policy,
            ModelPolicy requested,
            long inputTokens,
            long outputTokens,
            boolean estimated,
            Duration latency,
            BigDecimal cost,
            boolean cached,
            boolean streamed) {
        ledger.record(new CostEntry(
                clock.instant(),
                call.workspace(),
                call.user(),
                call.run(),
                call.agent(),
                kind,
                provider,
                model,
                policy,
                requested,
                inputTokens,
                outputTokens,
                estimated,
                latency,
                cost,
                cached,
                streamed));
    }
}
