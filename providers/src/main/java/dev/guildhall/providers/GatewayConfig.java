package dev.guildhall.providers;

import dev.guildhall.core.Checks;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.cost.Budget;
import dev.guildhall.core.cost.BudgetPeriod;
import dev.guildhall.core.cost.BudgetPolicy;
import dev.guildhall.core.cost.BudgetStore;
import dev.guildhall.core.cost.CostLedger;
import dev.guildhall.core.cost.InMemoryBudgetStore;
import dev.guildhall.core.cost.InMemoryCostLedger;
import dev.guildhall.core.cost.PriceTable;
import dev.guildhall.core.gateway.ChatProvider;
import dev.guildhall.core.gateway.EmbeddingProvider;
import dev.guildhall.core.gateway.GatewayOptions;
import dev.guildhall.core.gateway.ModelGateway;
import dev.guildhall.core.gateway.ModelPolicy;
import dev.guildhall.core.gateway.ModelRoute;
import dev.guildhall.core.gateway.RoutingModelGateway;
import dev.guildhall.core.retry.RetryPolicy;
import dev.guildhall.core.util.Durations;
import dev.guildhall.providers.anthropic.AnthropicChatProvider;
import dev.guildhall.providers.ollama.OllamaChatProvider;
import dev.guildhall.providers.ollama.OllamaEmbeddingProvider;
import dev.guildhall.providers.openai.OpenAiChatProvider;
import dev.guildhall.providers.openai.OpenAiEmbeddingProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The model gateway's configuration, read from the {@code gateway:} section of a YAML file (with
 * {@code ${VAR}} and {@code ${VAR:-default}} replaced from the environment) or, when there is no such
 * section, from environment variables alone. No provider is required: with none configured, {@link
 * #createGateway} returns {@link ModelGateway#disabled()}. Every setting is listed in {@code
 * docs/CONFIGURATION.md}.
 *
 * <p>The environment is passed in as a map, so that tests never depend on the real one. Immutable.
 */
public final class GatewayConfig {
    public static final String SECTION = "gateway";

    public static final String GUILDHALL_OPENAI_API_KEY = "GUILDHALL_OPENAI_API_KEY";
    public static final String OPENAI_API_KEY = "OPENAI_API_KEY";
    public static final String OPENAI_BASE_URL = "OPENAI_BASE_URL";
    public static final String OPENAI_MODEL = "OPENAI_MODEL";
    public static final String OPENAI_EMBEDDING_MODEL = "OPENAI_EMBEDDING_MODEL";
    public static final String ANTHROPIC_API_KEY = "ANTHROPIC_API_KEY";
    public static final String ANTHROPIC_BASE_URL = "ANTHROPIC_BASE_URL";
    public static final String OLLAMA_BASE_URL = "OLLAMA_BASE_URL";
    public static final String OLLAMA_MODEL = "OLLAMA_MODEL";
    public static final String OLLAMA_EMBEDDING_MODEL = "OLLAMA_EMBEDDING_MODEL";
    public static final String GUILDHALL_MODEL_PREFIX = "GUILDHALL_MODEL_";
    public static final String GUILDHALL_EMBEDDING_MODEL = "GUILDHALL_EMBEDDING_MODEL";
    public static final String GUILDHALL_GATEWAY_TIMEOUT = "GUILDHALL_GATEWAY_TIMEOUT";
    public static final String GUILDHALL_GATEWAY_MAX_ATTEMPTS = "GUILDHALL_GATEWAY_MAX_ATTEMPTS";
    public static final String GUILDHALL_GATEWAY_CACHE_SIZE = "GUILDHALL_GATEWAY_CACHE_SIZE";
    public static final String GUILDHALL_PRICES_FILE = "GUILDHALL_PRICES_FILE";

    /** The models each provider serves per policy when only its key (or URL) is configured. */
    static final Map<ProviderType, Map<ModelPolicy, String>> DEFAULT_MODELS = Map.of(
            ProviderType.OPENAI,
                    Map.of(
                            ModelPolicy.CHEAP,
                            "gpt-4o-mini",
                            ModelPolicy.STANDARD,
                            "gpt-4.1-mini",
                            ModelPolicy.PREMIUM,
                            "gpt-4.1"),
            ProviderType.ANTHROPIC,
                    Map.of(
                            ModelPolicy.CHEAP,
                            "claude-haiku-4-5",
                            ModelPolicy.STANDARD,
                            "claude-sonnet-4-5",
                            ModelPolicy.PREMIUM,
                            "claude-opus-4-1"),
            ProviderType.OLLAMA,
                    Map.of(
                            ModelPolicy.CHEAP,
                            "llama3.1",
                            ModelPolicy.STANDARD,
                            "llama3.1",
                            ModelPolicy.PREMIUM,
                            "llama3.1"));

    static final String DEFAULT_OPENAI_EMBEDDING_MODEL = "text-embedding-3-small";
    static final String DEFAULT_OLLAMA_EMBEDDING_MODEL = "nomic-embed-text";

    private static final Logger LOG = LoggerFactory.getLogger(GatewayConfig.class);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final List<ModelPolicy> CALLING_POLICIES =
            List.of(ModelPolicy.CHEAP, ModelPolicy.STANDARD, ModelPolicy.PREMIUM);

    private final String source;
    private final List<ProviderSettings> providers;
    private final GatewayOptions options;
    private final @Nullable Path pricesFile;
    private final List<Budget> budgets;

    private GatewayConfig(
            String source,
            List<ProviderSettings> providers,
            GatewayOptions options,
            @Nullable Path pricesFile,
            List<Budget> budgets) {
        this.source = source;
        this.providers = List.copyOf(providers);
        this.options = options;
        this.pricesFile = pricesFile;
        this.budgets = List.copyOf(budgets);
    }

    /**
     * The configuration from {@code file}'s {@code gateway:} section when the file exists and has
     * one, otherwise from the environment alone.
     */
    public static GatewayConfig resolve(@Nullable Path file, Map<String, String> env) {
        if (file != null && Files.isRegularFile(file)) {
            Map<String, Object> section = section(read(file), file.toString());
            if (section != null) {
                return fromSection(section, env, file.toAbsolutePath().getParent(), file.toString());
            }
        }
        return fromEnvironment(env);
    }

    /**
     * Reads {@code file}'s {@code gateway:} section.
     *
     * @throws IllegalArgumentException when the file has no such section or a setting is invalid; the message names the setting
     * @throws UncheckedIOException when the file cannot be read
     */
    public static GatewayConfig load(Path file, Map<String, String> env) {
        Map<String, Object> section = section(read(file), file.toString());
        if (section == null) {
            throw new IllegalArgumentException(file + " has no '" + SECTION + ":' section");
        }
        return fromSection(section, env, file.toAbsolutePath().getParent(), file.toString());
    }

    /** Parses YAML text with a {@code gateway:} section; relative file names resolve against {@code baseDir}. */
    public static GatewayConfig parse(String yaml, Map<String, String> env, Path baseDir) {
        Map<String, Object> section =
                section(new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml), "configuration");
        if (section == null) {
            throw new IllegalArgumentException("configuration has no '" + SECTION + ":' section");
        }
        return fromSection(section, env, baseDir, "configuration");
    }

    /** The configuration from environment variables alone; see {@code docs/CONFIGURATION.md}. */
    public static GatewayConfig fromEnvironment(Map<String, String> env) {
        Checks.notNull(env, "env");
        List<ProviderSettings> providers = new ArrayList<>();
        Map<String, Map<ModelPolicy, String>> models = new LinkedHashMap<>();
        List<ModelRoute> embeddings = new ArrayList<>();

        String openAiKey = first(env, GUILDHALL_OPENAI_API_KEY, OPENAI_API_KEY);
        String openAiUrl = value(env, OPENAI_BASE_URL);
        if (openAiKey != null || openAiUrl != null) {
            providers.add(new ProviderSettings("openai", ProviderType.OPENAI, openAiUrl, openAiKey));
            models.put("openai", modelsFor(ProviderType.OPENAI, value(env, OPENAI_MODEL)));
            String embeddingModel = value(env, OPENAI_EMBEDDING_MODEL);
            if (embeddingModel != null || openAiKey != null) {
                embeddings.add(ModelRoute.of(
                        "openai", embeddingModel == null ? DEFAULT_OPENAI_EMBEDDING_MODEL : embeddingModel));
            }
        }
        String anthropicKey = value(env, ANTHROPIC_API_KEY);
        if (anthropicKey != null) {
            providers.add(new ProviderSettings(
                    "anthropic", ProviderType.ANTHROPIC, value(env, ANTHROPIC_BASE_URL), anthropicKey));
            models.put("anthropic", modelsFor(ProviderType.ANTHROPIC, null));
        }
        String ollamaUrl = value(env, OLLAMA_BASE_URL);
        if (ollamaUrl != null) {
            providers.add(new ProviderSettings("ollama", ProviderType.OLLAMA, ollamaUrl, null));
            models.put("ollama", modelsFor(ProviderType.OLLAMA, value(env, OLLAMA_MODEL)));
            String embeddingModel = value(env, OLLAMA_EMBEDDING_MODEL);
            embeddings.add(
                    ModelRoute.of("ollama", embeddingModel == null ? DEFAULT_OLLAMA_EMBEDDING_MODEL : embeddingModel));
        }
        Set<String> names = names(providers);

        GatewayOptions.Builder options = GatewayOptions.builder();
        for (ModelPolicy policy : CALLING_POLICIES) {
            String variable = GUILDHALL_MODEL_PREFIX + policy.name();
            String override = value(env, variable);
            List<ModelRoute> routes = new ArrayList<>();
            if (override != null) {
                routes.addAll(checkedRoutes(routeList(override, variable), names, variable));
            } else {
                models.forEach((provider, byPolicy) -> routes.add(ModelRoute.of(provider, byPolicy.get(policy))));
            }
            options.routes(policy, routes);
        }
        String embeddingOverride = value(env, GUILDHALL_EMBEDDING_MODEL);
        if (embeddingOverride != null) {
            embeddings = checkedRoutes(
                    routeList(embeddingOverride, GUILDHALL_EMBEDDING_MODEL), names, GUILDHALL_EMBEDDING_MODEL);
        }
        options.embeddingRoutes(embeddings);
        String timeout = value(env, GUILDHALL_GATEWAY_TIMEOUT);
        if (timeout != null) {
            options.timeout(Durations.parse(timeout));
        }
        String attempts = value(env, GUILDHALL_GATEWAY_MAX_ATTEMPTS);
        if (attempts != null) {
            options.retryPolicy(RetryPolicy.builder()
                    .maxAttempts(integer(attempts, GUILDHALL_GATEWAY_MAX_ATTEMPTS))
                    .build());
        }
        String cacheSize = value(env, GUILDHALL_GATEWAY_CACHE_SIZE);
        if (cacheSize != null) {
            options.cacheSize(integer(cacheSize, GUILDHALL_GATEWAY_CACHE_SIZE));
        }
        String prices = value(env, GUILDHALL_PRICES_FILE);
        GatewayOptions built = options.build();
        checkEmbeddingProviders(built.embeddingRoutes(), providers, GUILDHALL_EMBEDDING_MODEL);
        return new GatewayConfig("environment", providers, built, prices == null ? null : Path.of(prices), List.of());
    }

    /** Where the configuration came from: a file name or {@code environment}. */
    public String source() {
        return source;
    }

    /** The providers that are configured and usable (providers whose variables are unset are left out). */
    public List<ProviderSettings> providers() {
        return providers;
    }

    public GatewayOptions options() {
        return options;
    }

    /** Budgets declared in the file; saved into the budget store by {@link #createGateway}. */
    public List<Budget> budgets() {
        return budgets;
    }

    /** The operator's price file, whose prices override the shipped defaults; null for defaults only. */
    public @Nullable Path pricesFile() {
        return pricesFile;
    }

    /** Whether any chat or embedding route is configured. */
    public boolean configured() {
        return !options.chatRoutes().isEmpty() || !options.embeddingRoutes().isEmpty();
    }

    /** The shipped prices, overridden by the operator's price file when there is one. */
    public PriceTable prices() {
        PriceTable table = PriceTable.defaults();
        return pricesFile == null ? table : table.putAll(PriceTable.load(pricesFile));
    }

    /**
     * The gateway this configuration describes, recording into {@code ledger} and checking the
     * budgets of {@code budgetStore} (into which the configured budgets are saved); {@link
     * ModelGateway#disabled()} when nothing is configured.
     */
    public ModelGateway createGateway(CostLedger ledger, BudgetStore budgetStore, Clock clock) {
        Checks.notNull(ledger, "ledger");
        Checks.notNull(budgetStore, "budgetStore");
        Checks.notNull(clock, "clock");
        budgets.forEach(budgetStore::save);
        if (!configured()) {
            LOG.info("No model provider configured ({}); agents take their deterministic path", source);
            return ModelGateway.disabled();
        }
        List<ChatProvider> chat = new ArrayList<>();
        List<EmbeddingProvider> embedding = new ArrayList<>();
        for (ProviderSettings p : providers) {
            switch (p.type()) {
                case OPENAI -> {
                    chat.add(new OpenAiChatProvider(p.name(), p.baseUrl(), p.apiKey()));
                    embedding.add(new OpenAiEmbeddingProvider(p.name(), p.baseUrl(), p.apiKey()));
                }
                case ANTHROPIC -> chat.add(new AnthropicChatProvider(p.name(), p.baseUrl(), p.apiKey()));
                case OLLAMA -> {
                    chat.add(new OllamaChatProvider(p.name(), p.baseUrl()));
                    embedding.add(new OllamaEmbeddingProvider(p.name(), p.baseUrl()));
                }
            }
        }
        LOG.info(
                "Model gateway configured from {}: providers {}, routes {}, embeddings {}",
                source,
                names(providers),
                options.chatRoutes(),
                options.embeddingRoutes());
        return new RoutingModelGateway(options, chat, embedding, ledger, budgetStore, prices(), clock);
    }

    /** {@link #createGateway(CostLedger, BudgetStore, Clock)} with an in-memory ledger and budget store and the UTC system clock. */
    public ModelGateway createGateway() {
        return createGateway(new InMemoryCostLedger(), new InMemoryBudgetStore(), Clock.systemUTC());
    }

    @Override
    public String toString() {
        return "GatewayConfig[source=%s, providers=%s, options=%s, pricesFile=%s, budgets=%s]"
                .formatted(source, providers, options, pricesFile, budgets);
    }

    // ---- file ----

    private static GatewayConfig fromSection(
            Map<String, Object> gateway, Map<String, String> env, @Nullable Path baseDir, String source) {
        Checks.notNull(env, "env");
        Settings root = new Settings(gateway, SECTION, env, source);
        List<ProviderSettings> providers = new ArrayList<>();
        Set<String> declared = new LinkedHashSet<>();
        Map<String, Object> providerSection = root.map("providers");
        for (String name : providerSection.keySet()) {
            Settings p = root.child("providers", name);
            declared.add(name);
            p.checkKeys("type", "api-key", "base-url", "enabled");
            String typeName = p.string("type");
            ProviderType type = ProviderType.parse(typeName == null ? name : typeName, p.path("type"));
            List<String> unset = p.unsetVariables("api-key", "base-url");
            if (!p.bool("enabled", true)) {
                LOG.info("Provider {} is disabled in {}", name, source);
            } else if (!unset.isEmpty()) {
                LOG.info("Provider {} skipped: {} not set", name, String.join(", ", unset));
            } else if (type == ProviderType.ANTHROPIC && p.string("api-key") == null) {
                throw new IllegalArgumentException(
                        source + ": " + p.path("api-key") + " must be set for an anthropic provider");
            } else {
                providers.add(new ProviderSettings(name, type, p.string("base-url"), p.string("api-key")));
            }
        }
        Set<String> enabled = names(providers);

        GatewayOptions.Builder options = GatewayOptions.builder();
        Settings policies = root.child("policies");
        policies.checkKeys("none", "cheap", "standard", "premium");
        if (!policies.routes("none").isEmpty()) {
            throw new IllegalArgumentException(
                    source + ": " + policies.path("none") + " must have no routes: policy none never calls a model");
        }
        for (ModelPolicy policy : CALLING_POLICIES) {
            options.routes(
                    policy,
                    usable(
                            policies.routes(policy.wireName()),
                            declared,
                            enabled,
                            source + ": " + policies.path(policy.wireName())));
        }
        List<ModelRoute> embeddings =
                usable(root.routes("embeddings"), declared, enabled, source + ": " + root.path("embeddings"));
        checkEmbeddingProviders(embeddings, providers, source + ": " + root.path("embeddings"));
        options.embeddingRoutes(embeddings);
        String timeout = root.string("timeout");
        if (timeout != null) {
            options.timeout(Durations.parse(timeout));
        }
        Settings retry = root.child("retry");
        retry.checkKeys("max-attempts", "initial-interval", "max-interval", "backoff-coefficient", "jitter");
        RetryPolicy.Builder retryPolicy = RetryPolicy.builder();
        retry.ifPresent("max-attempts", v -> retryPolicy.maxAttempts(integer(v, retry.path("max-attempts"))));
        retry.ifPresent("initial-interval", v -> retryPolicy.initialInterval(Durations.parse(v)));
        retry.ifPresent("max-interval", v -> retryPolicy.maximumInterval(Durations.parse(v)));
        retry.ifPresent(
                "backoff-coefficient",
                v -> retryPolicy.backoffCoefficient(
                        decimal(v, retry.path("backoff-coefficient")).doubleValue()));
        retry.ifPresent(
                "jitter",
                v -> retryPolicy.jitter(decimal(v, retry.path("jitter")).doubleValue()));
        options.retryPolicy(retryPolicy.build());
        Settings cache = root.child("cache");
        cache.checkKeys("size", "ttl");
        cache.ifPresent("size", v -> options.cacheSize(integer(v, cache.path("size"))));
        cache.ifPresent("ttl", v -> options.cacheTtl(Durations.parse(v)));
        root.checkKeys("providers", "policies", "embeddings", "timeout", "retry", "cache", "prices-file", "budgets");

        String prices = root.string("prices-file");
        Path pricesFile = prices == null ? null : (baseDir == null ? Path.of(prices) : baseDir.resolve(prices));
        return new GatewayConfig(source, providers, options.build(), pricesFile, budgets(root));
    }

    private static List<Budget> budgets(Settings root) {
        List<Budget> budgets = new ArrayList<>();
        List<Object> entries = root.list("budgets");
        for (int i = 0; i < entries.size(); i++) {
            Settings b = root.element("budgets", i);
            b.checkKeys("workspace", "user", "scope", "period", "soft-limit", "hard-limit");
            String workspace = b.string("workspace");
            if (workspace == null) {
                throw new IllegalArgumentException(root.source + ": " + b.path("workspace") + " must be set");
            }
            String period = b.string("period");
            BudgetPolicy policy = new BudgetPolicy(
                    period == null ? BudgetPeriod.MONTHLY : BudgetPeriod.parse(period),
                    b.decimal("soft-limit"),
                    b.decimal("hard-limit"));
            String user = b.string("user");
            String scope = b.string("scope");
            WorkspaceId ws = WorkspaceId.of(workspace);
            if (user != null) {
                budgets.add(Budget.forUser(ws, UserId.of(user), policy));
            } else if (scope == null || scope.equalsIgnoreCase("workspace")) {
                budgets.add(Budget.forWorkspace(ws, policy));
            } else if (scope.equalsIgnoreCase("each-user")) {
                budgets.add(Budget.forEachUser(ws, policy));
            } else {
                throw new IllegalArgumentException(root.source + ": " + b.path("scope")
                        + " must be workspace or each-user (or set user), was \"" + scope + "\"");
            }
        }
        return budgets;
    }

    /** Routes whose provider is configured; routes to skipped providers are dropped, routes to undeclared ones are an error. */
    private static List<ModelRoute> usable(
            List<ModelRoute> routes, Set<String> declared, Set<String> enabled, String where) {
        List<ModelRoute> result = new ArrayList<>();
        for (ModelRoute route : routes) {
            if (!declared.contains(route.provider())) {
                throw new IllegalArgumentException(
                        "%s names provider %s, which is not declared under gateway.providers (declared: %s)"
                                .formatted(where, route.provider(), declared));
            }
            if (enabled.contains(route.provider())) {
                result.add(route);
            } else {
                LOG.debug("Route {} dropped: provider {} is not configured", route, route.provider());
            }
        }
        return result;
    }

    private static List<ModelRoute> checkedRoutes(List<ModelRoute> routes, Set<String> names, String where) {
        for (ModelRoute route : routes) {
            if (!names.contains(route.provider())) {
                throw new IllegalArgumentException("%s names provider %s, which is not configured (configured: %s)"
                        .formatted(where, route.provider(), names));
            }
        }
        return routes;
    }

    private static void checkEmbeddingProviders(
            List<ModelRoute> routes, List<ProviderSettings> providers, String where) {
        for (ModelRoute route : routes) {
            for (ProviderSettings p : providers) {
                if (p.name().equals(route.provider()) && p.type() == ProviderType.ANTHROPIC) {
                    throw new IllegalArgumentException(
                            where + " names provider " + p.name() + ", but Anthropic has no embedding models");
                }
            }
        }
    }

    private static Map<ModelPolicy, String> modelsFor(ProviderType type, @Nullable String model) {
        if (model == null) {
            return DEFAULT_MODELS.get(type);
        }
        Map<ModelPolicy, String> all = new EnumMap<>(ModelPolicy.class);
        CALLING_POLICIES.forEach(p -> all.put(p, model));
        return all;
    }

    private static List<ModelRoute> routeList(String text, String where) {
        List<ModelRoute> routes = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                try {
                    routes.add(ModelRoute.parse(part));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
            }
        }
        return routes;
    }

    private static Set<String> names(List<ProviderSettings> providers) {
        Set<String> names = new LinkedHashSet<>();
        providers.forEach(p -> names.add(p.name()));
        return names;
    }

    private static @Nullable String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static @Nullable String first(Map<String, String> env, String... names) {
        for (String name : names) {
            String v = value(env, name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static int integer(String text, String where) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " must be a whole number, was \"" + text + "\"");
        }
    }

    private static BigDecimal decimal(String text, String where) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " must be a number, was \"" + text + "\"");
        }
    }

    private static Object read(Path file) {
        try {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @SuppressWarnings("unchecked") // SnakeYAML's safe constructor yields maps with string keys for mappings.
    private static @Nullable Map<String, Object> section(@Nullable Object root, String source) {
        if (root == null) {
            return null;
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(source + " must be a YAML mapping");
        }
        Object section = map.get(SECTION);
        if (section == null) {
            return null;
        }
        if (!(section instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(source + ": " + SECTION + " must be a mapping");
        }
        return (Map<String, Object>) section;
    }

    /** A mapping of the file with its path, for messages, and variable substitution on read. */
    private static final class Settings {
        private final Map<String, Object> values;
        private final String path;
        private final Map<String, String> env;
        private final String source;

        Settings(Map<String, Object> values, String path, Map<String, String> env, String source) {
            this.values = values;
            this.path = path;
            this.env = env;
            this.source = source;
        }

        String path(String key) {
            return path + "." + key;
        }

        Settings child(String... keys) {
            Settings s = this;
            for (String key : keys) {
                s = new Settings(s.map(key), s.path(key), env, source);
            }
            return s;
        }

        Settings element(String key, int index) {
            Object value = list(key).get(index);
            String at = path(key) + "[" + index + "]";
            if (!(value instanceof Map<?, ?>)) {
                throw new IllegalArgumentException(source + ": " + at + " must be a mapping");
            }
            return new Settings(cast(value), at, env, source);
        }

        Map<String, Object> map(String key) {
            Object value = values.get(key);
            if (value == null) {
                return Map.of();
            }
            if (!(value instanceof Map<?, ?>)) {
                throw new IllegalArgumentException(source + ": " + path(key) + " must be a mapping");
            }
            return cast(value);
        }

        List<Object> list(String key) {
            Object value = values.get(key);
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof List<?> list)) {
                throw new IllegalArgumentException(source + ": " + path(key) + " must be a list");
            }
            return new ArrayList<>(list);
        }

        /** The value with variables replaced; null when absent or empty. */
        @Nullable
        String string(String key) {
            Object value = values.get(key);
            if (value == null) {
                return null;
            }
            if (value instanceof Map<?, ?> || value instanceof List<?>) {
                throw new IllegalArgumentException(source + ": " + path(key) + " must be a single value");
            }
            String s = substitute(String.valueOf(value), env);
            return s.isBlank() ? null : s.trim();
        }

        boolean bool(String key, boolean fallback) {
            String s = string(key);
            if (s == null) {
                return fallback;
            }
            if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(
                        source + ": " + path(key) + " must be true or false, was \"" + s + "\"");
            }
            return Boolean.parseBoolean(s);
        }

        @Nullable
        BigDecimal decimal(String key) {
            String s = string(key);
            return s == null ? null : GatewayConfig.decimal(s, source + ": " + path(key));
        }

        void ifPresent(String key, java.util.function.Consumer<String> action) {
            String s = string(key);
            if (s != null) {
                try {
                    action.accept(s);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(source + ": " + path(key) + ": " + e.getMessage(), e);
                }
            }
        }

        /** Routes as a YAML list or a comma-separated string. */
        List<ModelRoute> routes(String key) {
            Object value = values.get(key);
            if (value == null) {
                return List.of();
            }
            List<ModelRoute> routes = new ArrayList<>();
            List<?> items = value instanceof List<?> list ? list : List.of(value);
            for (Object item : items) {
                routes.addAll(routeList(substitute(String.valueOf(item), env), source + ": " + path(key)));
            }
            return routes;
        }

        /** The variables used by {@code keys} that are unset and have no default. */
        List<String> unsetVariables(String... keys) {
            List<String> unset = new ArrayList<>();
            for (String key : keys) {
                Object value = values.get(key);
                if (value instanceof String s) {
                    Matcher m = VARIABLE.matcher(s);
                    while (m.find()) {
                        if (GatewayConfig.value(env, m.group(1)) == null && m.group(2) == null) {
                            unset.add(m.group(1));
                        }
                    }
                }
            }
            return unset;
        }

        void checkKeys(String... allowed) {
            Set<String> known = Set.of(allowed);
            for (String key : values.keySet()) {
                if (!known.contains(key)) {
                    throw new IllegalArgumentException("%s: %s is not a setting (known: %s)"
                            .formatted(source, path(key), String.join(", ", allowed)));
                }
            }
        }

        @SuppressWarnings("unchecked") // See section().
        private static Map<String, Object> cast(Object value) {
            return (Map<String, Object>) value;
        }
    }

    /** Replaces {@code ${VAR}} and {@code ${VAR:-default}}; an unset variable without default becomes empty. */
    static String substitute(String text, Map<String, String> env) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = value(env, m.group(1));
            String replacement = v != null ? v : m.group(2) == null ? "" : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
