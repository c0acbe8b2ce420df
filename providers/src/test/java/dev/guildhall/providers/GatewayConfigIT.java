package dev.guildhall.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.cost.BudgetExceededException;
import dev.guildhall.core.cost.InMemoryBudgetStore;
import dev.guildhall.core.cost.InMemoryCostLedger;
import dev.guildhall.core.cost.SpendQuery;
import dev.guildhall.core.gateway.ChatMessage;
import dev.guildhall.core.gateway.ChatRequest;
import dev.guildhall.core.gateway.ChatResponse;
import dev.guildhall.core.gateway.ModelCall;
import dev.guildhall.core.gateway.ModelGateway;
import dev.guildhall.core.gateway.ModelPolicy;
import dev.guildhall.core.gateway.RoutingModelGateway;
import dev.guildhall.core.time.MutableClock;
import dev.guildhall.testkit.FakeAnthropicServer;
import dev.guildhall.testkit.FakeOllamaServer;
import dev.guildhall.testkit.FakeOpenAiServer;
import dev.guildhall.testkit.FakeReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From configuration to a working gateway, against fake servers. */
class GatewayConfigIT {
    private static final WorkspaceId ACME = WorkspaceId.of("acme");

    private final FakeOpenAiServer openai = FakeOpenAiServer.start();
    private final FakeAnthropicServer anthropic = FakeAnthropicServer.start();
    private final FakeOllamaServer ollama = FakeOllamaServer.start();
    private final MutableClock clock = MutableClock.start();
    private final InMemoryCostLedger ledger = new InMemoryCostLedger();
    private ModelGateway gateway;

    @AfterEach
    void stop() {
        if (gateway instanceof RoutingModelGateway routing) {
            routing.close();
        }
        openai.close();
        anthropic.close();
        ollama.close();
    }

    @Test
    void a_config_file_builds_a_gateway_with_its_routes_and_budgets(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("guildhall.yaml");
        Files.writeString(
                file,
                """
                gateway:
                  providers:
                    openai:
                      api-key: ${OPENAI_API_KEY}
                      base-url: ${OPENAI_BASE_URL}
                    anthropic:
                      api-key: ${ANTHROPIC_API_KEY}
                      base-url: ${ANTHROPIC_BASE_URL}
                    ollama:
                      base-url: ${OLLAMA_BASE_URL}
                  policies:
                    cheap: [ollama:llama3.1]
                    standard: [openai:gpt-4o, anthropic:claude-sonnet-4-5]
                  embeddings: [ollama:nomic-embed-text]
                  retry:
                    max-attempts: 3
                    initial-interval: 5ms
                    max-interval: 20ms
                  budgets:
                    - workspace: acme
                      user: mallory
                      period: daily
                      hard-limit: 0.0001
                """);
        Map<String, String> env = Map.of(
                "OPENAI_API_KEY",
                "sk-test",
                "OPENAI_BASE_URL",
                openai.baseUrl(),
                "ANTHROPIC_API_KEY",
                "sk-ant-test",
                "ANTHROPIC_BASE_URL",
                anthropic.baseUrl(),
                "OLLAMA_BASE_URL",
                ollama.baseUrl());
        gateway = GatewayConfig.load(file, env).createGateway(ledger, new InMemoryBudgetStore(), clock);
        openai.enqueue(FakeReply.error(503, "down"), FakeReply.error(503, "down"), FakeReply.error(503, "down"));
        anthropic.enqueue(FakeReply.text("From Claude.").withUsage(10, 3));
        ollama.enqueue(FakeReply.text("From Llama.").withUsage(9, 3));

        ChatResponse cheap =
                gateway.chat(ModelCall.of(ACME, ModelPolicy.CHEAP), ChatRequest.of(ChatMessage.user("hi")));
        ChatResponse standard =
                gateway.chat(ModelCall.of(ACME, ModelPolicy.STANDARD), ChatRequest.of(ChatMessage.user("hi")));

        assertThat(cheap.text()).isEqualTo("From Llama.");
        assertThat(cheap.cost()).as("ollama:* is free in the shipped prices").isEqualByComparingTo("0");
        assertThat(standard.text()).isEqualTo("From Claude.");
        assertThat(openai.requestCount()).as("three attempts, as configured").isEqualTo(3);
        assertThat(gateway.embed(ModelCall.of(ACME, ModelPolicy.CHEAP), List.of("doc"))
                        .vectors())
                .hasSize(1);
        assertThatThrownBy(() -> gateway.chat(
                        new ModelCall(ACME, UserId.of("mallory"), null, null, ModelPolicy.STANDARD),
                        ChatRequest.of(ChatMessage.user("hi"))))
                .isInstanceOf(BudgetExceededException.class);
        assertThat(ledger.entries(SpendQuery.forWorkspace(
                        ACME, Instant.EPOCH, clock.instant().plusSeconds(1))))
                .hasSize(3);
    }

    @Test
    void environment_variables_alone_build_a_working_gateway() {
        gateway = GatewayConfig.fromEnvironment(Map.of("OPENAI_API_KEY", "sk-env", "OPENAI_BASE_URL", openai.baseUrl()))
                .createGateway(ledger, new InMemoryBudgetStore(), clock);
        openai.enqueue(FakeReply.text("Hello from gpt-4o-mini."));

        ChatResponse response =
                gateway.chat(ModelCall.of(ACME, ModelPolicy.CHEAP), ChatRequest.of(ChatMessage.user("hi")));

        assertThat(response.model()).isEqualTo("gpt-4o-mini");
        assertThat(openai.lastRequest().header("Authorization")).isEqualTo("Bearer sk-env");
        assertThat(gateway.embeddingsAvailable()).isTrue();
    }
}
