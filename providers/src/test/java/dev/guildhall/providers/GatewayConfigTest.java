package dev.guildhall.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.cost.Budget;
import dev.guildhall.core.cost.BudgetPeriod;
import dev.guildhall.core.cost.BudgetPolicy;
import dev.guildhall.core.cost.ModelPrice;
import dev.guildhall.core.gateway.ChatMessage;
import dev.guildhall.core.gateway.ChatRequest;
import dev.guildhall.core.gateway.ModelCall;
import dev.guildhall.core.gateway.ModelGateway;
import dev.guildhall.core.gateway.ModelPolicy;
import dev.guildhall.core.gateway.ModelRoute;
import dev.guildhall.core.gateway.ModelUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {
    private static final Path HERE = Path.of(".");

    @Test
    void with_nothing_configured_the_gateway_says_so() {
        GatewayConfig config = GatewayConfig.fromEnvironment(Map.of());
        ModelGateway gateway = config.createGateway();

        assertThat(config.configured()).isFalse();
        assertThat(gateway.chatAvailable()).isFalse();
        assertThat(gateway.embeddingsAvailable()).isFalse();
        assertThatThrownBy(() -> gateway.chat(
                        ModelCall.of(WorkspaceId.of("acme"), ModelPolicy.CHEAP),
                        ChatRequest.of(ChatMessage.user("hi"))))
                .isInstanceOf(ModelUnavailableException.class)
                .hasMessageContaining("no chat provider configured");
    }

    @Test
    void an_openai_key_alone_gets_default_models_for_every_policy() {
        GatewayConfig config = GatewayConfig.fromEnvironment(Map.of("OPENAI_API_KEY", "sk-live"));

        assertThat(config.providers())
                .containsExactly(new ProviderSettings("openai", ProviderType.OPENAI, null, "sk-live"));
        assertThat(routes(config, ModelPolicy.CHEAP)).containsExactly("openai:gpt-4o-mini");
        assertThat(routes(config, ModelPolicy.STANDARD)).containsExactly("openai:gpt-4.1-mini");
        assertThat(routes(config, ModelPolicy.PREMIUM)).containsExactly("openai:gpt-4.1");
        assertThat(config.options().embeddingRoutes())
                .containsExactly(ModelRoute.parse("openai:text-embedding-3-small"));
        assertThat(config.source()).isEqualTo("environment");
    }

    @Test
    void the_guildhall_key_wins_over_the_plain_one() {
        GatewayConfig config = GatewayConfig.fromEnvironment(
                Map.of("OPENAI_API_KEY", "sk-plain", "GUILDHALL_OPENAI_API_KEY", "sk-guildhall"));

        assertThat(config.providers().get(0).apiKey()).isEqualTo("sk-guildhall");
    }

    @Test
    void several_providers_become_fallbacks_in_a_fixed_order() {
        GatewayConfig config = GatewayConfig.fromEnvironment(Map.of(
                "OLLAMA_BASE_URL", "http://gpu-box:11434",
                "ANTHROPIC_API_KEY", "sk-ant",
                "OPENAI_API_KEY", "sk-live"));

        assertThat(routes(config, ModelPolicy.STANDARD))
                .containsExactly("openai:gpt-4.1-mini", "anthropic:claude-sonnet-4-5", "ollama:llama3.1");
        assertThat(routes(config, ModelPolicy.CHEAP))
                .containsExactly("openai:gpt-4o-mini", "anthropic:claude-haiku-4-5", "ollama:llama3.1");
        assertThat(config.options().embeddingRoutes())
                .extracting(ModelRoute::toString)
                .containsExactly("openai:text-embedding-3-small", "ollama:nomic-embed-text");
    }

    @Test
    void policy_variables_replace_the_defaults() {
        GatewayConfig config = GatewayConfig.fromEnvironment(Map.of(
                "OPENAI_API_KEY", "sk-live",
                "OLLAMA_BASE_URL", "http://localhost:11434",
                "GUILDHALL_MODEL_CHEAP", "ollama:qwen2.5:7b, openai:gpt-4o-mini",
                "GUILDHALL_EMBEDDING_MODEL", "ollama:mxbai-embed-large",
                "GUILDHALL_GATEWAY_TIMEOUT", "20s",
                "GUILDHALL_GATEWAY_MAX_ATTEMPTS", "5",
                "GUILDHALL_GATEWAY_CACHE_SIZE", "0"));

        assertThat(routes(config, ModelPolicy.CHEAP)).containsExactly("ollama:qwen2.5:7b", "openai:gpt-4o-mini");
        assertThat(routes(config, ModelPolicy.PREMIUM)).containsExactly("openai:gpt-4.1", "ollama:llama3.1");
        assertThat(config.options().embeddingRoutes()).containsExactly(ModelRoute.parse("ollama:mxbai-embed-large"));
        assertThat(config.options().timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.options().retryPolicy().maxAttempts()).isEqualTo(5);
        assertThat(config.options().cacheSize()).isZero();
    }

    @Test
    void a_policy_variable_must_name_a_configured_provider() {
        assertThatThrownBy(() -> GatewayConfig.fromEnvironment(
                        Map.of("OPENAI_API_KEY", "sk", "GUILDHALL_MODEL_PREMIUM", "anthropic:claude-opus-4-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "GUILDHALL_MODEL_PREMIUM names provider anthropic, which is not configured (configured: [openai])");
        assertThatThrownBy(() -> GatewayConfig.fromEnvironment(
                        Map.of("OPENAI_API_KEY", "sk", "GUILDHALL_MODEL_CHEAP", "gpt-4o")))
                .hasMessage("GUILDHALL_MODEL_CHEAP: route must look like provider:model, was \"gpt-4o\"");
    }

    @Test
    void an_openai_compatible_server_needs_no_key() {
        GatewayConfig config = GatewayConfig.fromEnvironment(
                Map.of("OPENAI_BASE_URL", "http://localhost:8000/v1", "OPENAI_MODEL", "Qwen/Qwen2.5-7B-Instruct"));

        assertThat(config.providers())
                .containsExactly(new ProviderSettings("openai", ProviderType.OPENAI, "http://localhost:8000/v1", null));
        assertThat(routes(config, ModelPolicy.CHEAP)).containsExactly("openai:Qwen/Qwen2.5-7B-Instruct");
        assertThat(routes(config, ModelPolicy.PREMIUM)).containsExactly("openai:Qwen/Qwen2.5-7B-Instruct");
        assertThat(config.options().embeddingRoutes())
                .as("a local server serves no OpenAI embedding model by default")
                .isEmpty();
    }

    @Test
    void reads_a_gateway_section_with_variables_budgets_and_settings() {
        GatewayConfig config = GatewayConfig.parse(
                """
                server:
                  port: 8080
                gateway:
                  providers:
                    openai:
                      api-key: ${OPENAI_API_KEY}
                    local:
                      type: openai
                      base-url: ${LOCAL_LLM_URL:-http://localhost:8000/v1}
                    claude:
                      type: anthropic
                      api-key: ${ANTHROPIC_API_KEY}
                  policies:
                    cheap: [local:qwen2.5-7b, openai:gpt-4o-mini]
                    standard: openai:gpt-4.1-mini, claude:claude-sonnet-4-5
                    premium:
                      - claude:claude-opus-4-1
                  embeddings: [openai:text-embedding-3-large]
                  timeout: 45s
                  retry:
                    max-attempts: 4
                    initial-interval: 100ms
                    max-interval: 5s
                    backoff-coefficient: 3
                    jitter: 0.1
                  cache:
                    size: 500
                    ttl: 10m
                  prices-file: prices.yaml
                  budgets:
                    - workspace: acme
                      period: monthly
                      soft-limit: 80
                      hard-limit: 100
                    - workspace: acme
                      scope: each-user
                      period: daily
                      hard-limit: 5
                    - workspace: acme
                      user: alice
                      hard-limit: 20
                """,
                Map.of("OPENAI_API_KEY", "sk-live", "ANTHROPIC_API_KEY", "sk-ant"),
                Path.of("/etc/guildhall"));

        assertThat(config.providers())
                .extracting(ProviderSettings::name, ProviderSettings::type, ProviderSettings::baseUrl)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("openai", ProviderType.OPENAI, null),
                        org.assertj.core.groups.Tuple.tuple("local", ProviderType.OPENAI, "http://localhost:8000/v1"),
                        org.assertj.core.groups.Tuple.tuple("claude", ProviderType.ANTHROPIC, null));
        assertThat(routes(config, ModelPolicy.CHEAP)).containsExactly("local:qwen2.5-7b", "openai:gpt-4o-mini");
        assertThat(routes(config, ModelPolicy.STANDARD))
                .containsExactly("openai:gpt-4.1-mini", "claude:claude-sonnet-4-5");
        assertThat(routes(config, ModelPolicy.PREMIUM)).containsExactly("claude:claude-opus-4-1");
        assertThat(config.options().timeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.options().retryPolicy().maxAttempts()).isEqualTo(4);
        assertThat(config.options().retryPolicy().initialInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.options().retryPolicy().backoffCoefficient()).isEqualTo(3.0);
        assertThat(config.options().cacheSize()).isEqualTo(500);
        assertThat(config.options().cacheTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.pricesFile()).isEqualTo(Path.of("/etc/guildhall/prices.yaml"));
        WorkspaceId acme = WorkspaceId.of("acme");
        assertThat(config.budgets())
                .containsExactly(
                        Budget.forWorkspace(acme, BudgetPolicy.of(BudgetPeriod.MONTHLY, "80", "100")),
                        Budget.forEachUser(acme, BudgetPolicy.of(BudgetPeriod.DAILY, null, "5")),
                        Budget.forUser(acme, UserId.of("alice"), BudgetPolicy.of(BudgetPeriod.MONTHLY, null, "20")));
    }

    @Test
    void a_provider_whose_variable_is_unset_is_skipped_with_its_routes() {
        GatewayConfig config = GatewayConfig.parse(
                """
                gateway:
                  providers:
                    openai:
                      api-key: ${OPENAI_API_KEY}
                    anthropic:
                      api-key: ${ANTHROPIC_API_KEY}
                  policies:
                    standard: [anthropic:claude-sonnet-4-5, openai:gpt-4.1-mini]
                    premium: [anthropic:claude-opus-4-1]
                """,
                Map.of("OPENAI_API_KEY", "sk-live"),
                HERE);

        assertThat(config.providers()).extracting(ProviderSettings::name).containsExactly("openai");
        assertThat(routes(config, ModelPolicy.STANDARD)).containsExactly("openai:gpt-4.1-mini");
        assertThat(routes(config, ModelPolicy.PREMIUM)).isEmpty();
    }

    @Test
    void names_the_setting_that_is_wrong() {
        assertThatThrownBy(() -> GatewayConfig.parse("gateway:\n  timeuot: 5s\n", Map.of(), HERE))
                .hasMessageStartingWith("configuration: gateway.timeuot is not a setting (known: providers, policies,");
        assertThatThrownBy(() ->
                        GatewayConfig.parse("gateway:\n  providers:\n    x:\n      type: gemini\n", Map.of(), HERE))
                .hasMessage("gateway.providers.x.type must be one of openai, anthropic, ollama, was \"gemini\"");
        assertThatThrownBy(() ->
                        GatewayConfig.parse("gateway:\n  policies:\n    cheap: [openia:gpt-4o-mini]\n", Map.of(), HERE))
                .hasMessage(
                        "configuration: gateway.policies.cheap names provider openia, which is not declared under gateway.providers (declared: [])");
        assertThatThrownBy(() -> GatewayConfig.parse("gateway:\n  retry:\n    max-attempts: 0\n", Map.of(), HERE))
                .hasMessage("configuration: gateway.retry.max-attempts: maxAttempts must be > 0, was 0");
        assertThatThrownBy(() -> GatewayConfig.parse(
                        """
                gateway:
                  providers:
                    anthropic:
                      api-key: sk-ant
                  embeddings: [anthropic:voyage-3]
                """,
                        Map.of(),
                        HERE))
                .hasMessage(
                        "configuration: gateway.embeddings names provider anthropic, but Anthropic has no embedding models");
        assertThatThrownBy(() -> GatewayConfig.parse(
                        "gateway:\n  budgets:\n    - period: daily\n      hard-limit: 1\n", Map.of(), HERE))
                .hasMessage("configuration: gateway.budgets[0].workspace must be set");
    }

    @Test
    void falls_back_to_the_environment_when_the_file_has_no_gateway_section(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("guildhall.yaml");
        Files.writeString(file, "server:\n  port: 8080\n");

        GatewayConfig fromFile = GatewayConfig.resolve(file, Map.of("ANTHROPIC_API_KEY", "sk-ant"));
        GatewayConfig missing = GatewayConfig.resolve(dir.resolve("absent.yaml"), Map.of());

        assertThat(fromFile.source()).isEqualTo("environment");
        assertThat(routes(fromFile, ModelPolicy.PREMIUM)).containsExactly("anthropic:claude-opus-4-1");
        assertThat(missing.configured()).isFalse();
        assertThatThrownBy(() -> GatewayConfig.load(file, Map.of())).hasMessage(file + " has no 'gateway:' section");
    }

    @Test
    void an_operator_price_file_overrides_the_shipped_prices(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("prices.yaml"), "models:\n  \"gpt-4o-mini\": { input: 0.1, output: 0.2 }\n");
        Path file = dir.resolve("guildhall.yaml");
        Files.writeString(file, "gateway:\n  prices-file: prices.yaml\n");

        GatewayConfig config = GatewayConfig.load(file, Map.of());

        assertThat(config.prices().find("openai", "gpt-4o-mini")).contains(ModelPrice.of("0.1", "0.2"));
        assertThat(config.prices().find("openai", "gpt-4o")).isPresent();
    }

    @Test
    void never_prints_api_keys() {
        assertThat(new ProviderSettings("openai", ProviderType.OPENAI, null, "sk-secret").toString())
                .doesNotContain("sk-secret")
                .contains("****");
        assertThat(GatewayConfig.fromEnvironment(Map.of("OPENAI_API_KEY", "sk-secret"))
                        .toString())
                .doesNotContain("sk-secret");
    }

    @Test
    void substitutes_variables_with_defaults() {
        Map<String, String> env = Map.of("HOST", "gpu-box");

        assertThat(GatewayConfig.substitute("http://${HOST}:${PORT:-11434}", env))
                .isEqualTo("http://gpu-box:11434");
        assertThat(GatewayConfig.substitute("${MISSING}", env)).isEmpty();
        assertThat(GatewayConfig.substitute("no variables", env)).isEqualTo("no variables");
    }

    private static List<String> routes(GatewayConfig config, ModelPolicy policy) {
        return config.options().routesFor(policy).stream()
                .map(ModelRoute::toString)
                .toList();
    }
}
