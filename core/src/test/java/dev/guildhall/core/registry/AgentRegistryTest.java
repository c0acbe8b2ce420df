package dev.guildhall.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.NotFoundException;
import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentDescriptor;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.agent.Tier;
import dev.guildhall.core.definition.DefinitionError;
import dev.guildhall.core.definition.InvalidDefinitionException;
import dev.guildhall.core.gateway.ModelPolicy;
import dev.guildhall.core.registry.fixtures.bad.NoDefaultConstructorAgent;
import dev.guildhall.core.registry.fixtures.good.RefundChecker;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentRegistryTest {

    private static final String AGENTS =
            """
            id: billing-specialist
            name: Billing specialist
            tier: revenue
            team: billing
            capabilities: [billing, refunds]
            model: standard
            timeout: 30s
            retry: {maxAttempts: 5, initialInterval: 100ms}
            instructions: Answer billing questions.
            ---
            id: faq
            tier: 1
            team: support
            capabilities: [answers]
            fallback: {kind: escalate}
            ---
            id: tone-checker
            tier: 1
            team: support
            capabilities: [verification, answers]
            fallback: {kind: escalate}
            ---
            id: campaign-planner
            tier: advanced
            team: council
            capabilities: [planning]
            fallback: {kind: escalate}
            """;

    private static AgentRegistry registry() {
        return AgentRegistry.builder()
                .loadDefinitions("agents.yaml", new StringReader(AGENTS))
                .scan("dev.guildhall.core.registry.fixtures.good")
                .build();
    }

    private static List<String> ids(List<Agent> agents) {
        return agents.stream().map(a -> a.descriptor().id().value()).toList();
    }

    @Test
    void reads_every_descriptor_field_from_yaml() {
        AgentDescriptor d = registry().get(AgentId.of("billing-specialist")).descriptor();

        assertThat(d.displayName()).isEqualTo("Billing specialist");
        assertThat(d.tier()).isEqualTo(Tier.REVENUE);
        assertThat(d.team()).isEqualTo("billing");
        assertThat(d.capabilities()).containsExactlyInAnyOrder("billing", "refunds");
        assertThat(d.modelPolicy()).isEqualTo(ModelPolicy.STANDARD);
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.retry().maxAttempts()).isEqualTo(5);
        assertThat(d.retry().initialInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(d.source()).isEqualTo("agents.yaml");
    }

    @Test
    void lists_all_agents_sorted_by_id() {
        assertThat(ids(registry().all()))
                .containsExactly(
                        "billing-specialist", "campaign-planner", "faq", "greeter", "refund-checker", "tone-checker");
    }

    @Test
    void queries_by_tier_team_and_capability() {
        AgentRegistry registry = registry();

        assertThat(ids(registry.query(AgentQuery.any().withTier(Tier.ESSENTIAL))))
                .containsExactly("faq", "greeter", "tone-checker");
        assertThat(ids(registry.query(AgentQuery.any().withTeam("billing"))))
                .containsExactly("billing-specialist", "refund-checker");
        assertThat(ids(registry.query(AgentQuery.any().withCapability("refunds"))))
                .containsExactly("billing-specialist", "refund-checker");
    }

    @Test
    void combines_query_criteria_with_and() {
        AgentRegistry registry = registry();

        assertThat(ids(registry.query(AgentQuery.any()
                        .withTier(Tier.ESSENTIAL)
                        .withTeam("support")
                        .withCapability("answers"))))
                .containsExactly("faq", "tone-checker");
        assertThat(ids(registry.query(AgentQuery.any().withCapability("answers").withCapability("verification"))))
                .containsExactly("tone-checker");
        assertThat(registry.query(AgentQuery.any().withTier(Tier.ADVANCED).withTeam("billing")))
                .isEmpty();
        assertThat(registry.query(AgentQuery.any().withCapability("nothing"))).isEmpty();
        assertThat(registry.query(AgentQuery.any())).hasSize(6);
    }

    @Test
    void find_is_empty_and_get_throws_for_an_unknown_id() {
        AgentRegistry registry = registry();

        assertThat(registry.find(AgentId.of("nobody"))).isEmpty();
        assertThatThrownBy(() -> registry.get(AgentId.of("nobody")))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("Agent nobody not found");
    }

    @Test
    void scan_discovers_annotated_classes_in_the_given_package_only() {
        AgentRegistry registry = AgentRegistry.builder()
                .scan("dev.guildhall.core.registry.fixtures.good")
                .build();

        assertThat(ids(registry.all())).containsExactly("greeter", "refund-checker");
        Agent refunds = registry.get(AgentId.of("refund-checker"));
        assertThat(refunds).isInstanceOf(RefundChecker.class);
        assertThat(refunds.descriptor().source()).isEqualTo("class:" + RefundChecker.class.getName());
        assertThat(refunds.descriptor().tier()).isEqualTo(Tier.REVENUE);
        assertThat(Agents.run(refunds, Map.of("amount", 40))
                        .output()
                        .get("eligible")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void scan_reports_every_bad_class_in_the_package() {
        assertThatThrownBy(() -> AgentRegistry.builder()
                        .scan("dev.guildhall.core.registry.fixtures.bad")
                        .build())
                .isInstanceOfSatisfying(InvalidDefinitionException.class, e -> assertThat(e.errors())
                        .extracting(DefinitionError::format)
                        .containsExactly(
                                "class:dev.guildhall.core.registry.fixtures.bad.BadTierAgent: field 'tier': tier must be 1, 2, 3 "
                                        + "or 4 (or essential, revenue, operational, advanced), was 9",
                                "class:" + NoDefaultConstructorAgent.class.getName()
                                        + ": field 'model': model policy must be one "
                                        + "of none, cheap, standard, premium, was \"clever\"",
                                "class:" + NoDefaultConstructorAgent.class.getName()
                                        + ": field 'timeout': must be > 0, was 0s"));
    }

    @Test
    void an_annotated_class_without_a_no_argument_constructor_is_reported() {
        @dev.guildhall.core.agent.GuildhallAgent(id = "local")
        final class Local implements Agent {
            @Override
            public AgentResult run(AgentTask task, AgentContext context) {
                return AgentResult.of(Map.of());
            }
        }
        assertThatThrownBy(
                        () -> AgentRegistry.builder().addAnnotated(Local.class).build())
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageEndingWith(
                        "Local: needs a public no-argument constructor to be instantiated by the registry");
    }

    @Test
    void agents_built_in_code_are_added_and_checked_for_duplicates() {
        Agent coded = new Agent() {
            @Override
            public AgentDescriptor descriptor() {
                return AgentDescriptor.of("faq");
            }

            @Override
            public AgentResult run(AgentTask task, AgentContext context) {
                return AgentResult.of(Map.of());
            }
        };
        assertThatThrownBy(() -> AgentRegistry.builder()
                        .loadDefinitions("agents.yaml", new StringReader(AGENTS))
                        .add(coded)
                        .build())
                .isInstanceOfSatisfying(
                        InvalidDefinitionException.class,
                        e -> assertThat(e.errors()).singleElement().satisfies(err -> assertThat(err.message())
                                .isEqualTo("duplicate agent id 'faq': also defined at agents.yaml:11")));
    }

    @Test
    void loads_a_single_file_or_only_yaml_files_of_a_directory(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("faq.yml"), "id: faq\nfallback: {kind: escalate}\n");
        Files.writeString(dir.resolve("notes.txt"), "id: not-an-agent\n");
        Files.createDirectories(dir.resolve("nested"));
        Files.writeString(dir.resolve("nested/router.yaml"), "id: router\nfallback: {kind: escalate}\n");

        AgentRegistry fromDir = AgentRegistry.builder().loadDefinitions(dir).build();
        AgentRegistry fromFile = AgentRegistry.builder()
                .loadDefinitions(dir.resolve("nested/router.yaml"))
                .build();

        assertThat(ids(fromDir.all())).containsExactly("faq", "router");
        assertThat(fromDir.get(AgentId.of("router")).descriptor().source()).isEqualTo("nested/router.yaml");
        assertThat(fromFile.get(AgentId.of("router")).descriptor().source()).isEqualTo("router.yaml");
    }

    @Test
    void an_empty_registry_has_nothing() {
        assertThat(AgentRegistry.empty().all()).isEmpty();
        assertThat(AgentRegistry.builder().build().size()).isZero();
    }

    @Test
    void the_registry_is_immutable() {
        AgentRegistry registry = registry();
        assertThatThrownBy(() -> registry.all().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() ->
                        registry.query(AgentQuery.any().withTeam("support")).clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
