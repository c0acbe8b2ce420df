package dev.guildhall.core.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.definition.DefinitionError;
import dev.guildhall.core.definition.InvalidDefinitionException;
import dev.guildhall.core.pack.fixtures.DemoPack;
import dev.guildhall.core.pack.fixtures.EchoAgainPack;
import dev.guildhall.core.pack.fixtures.FlowPack;
import dev.guildhall.core.pack.fixtures.ImpostorDemoPack;
import dev.guildhall.core.registry.AgentQuery;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackLoaderTest {

    @TempDir
    Path dir;

    /** A class loader whose only service file lists {@code packs}; classes come from the test class path. */
    private ClassLoader loaderListing(Class<?>... packs) throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        StringBuilder lines = new StringBuilder("# Written by PackLoaderTest.\n");
        for (Class<?> p : packs) {
            lines.append(p.getName()).append('\n');
        }
        Files.writeString(services.resolve(GuildhallPack.class.getName()), lines);
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }

    @Test
    void discovers_packs_through_the_service_loader() throws IOException {
        List<GuildhallPack> packs = PackLoader.discover(loaderListing(DemoPack.class));

        assertThat(packs).singleElement().isInstanceOf(DemoPack.class);
    }

    @Test
    void a_duplicate_pack_id_fails_naming_both_classes() throws IOException {
        ClassLoader loader = loaderListing(DemoPack.class, ImpostorDemoPack.class);

        assertThatThrownBy(() -> PackLoader.discover(loader))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessage("Invalid definition: class:" + ImpostorDemoPack.class.getName()
                        + ": field 'id': duplicate pack id 'demo': also provided by " + DemoPack.class.getName());
    }

    @Test
    void a_listed_class_that_is_not_a_pack_fails_discovery() throws IOException {
        ClassLoader loader = loaderListing(PackId.class);

        assertThatThrownBy(() -> PackLoader.discover(loader))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining(PackId.class.getName() + " not a subtype");
    }

    @Test
    void loads_yaml_resources_annotated_classes_coded_agents_and_tools() throws IOException {
        LoadedPacks loaded = PackLoader.load(loaderListing(DemoPack.class));

        assertThat(loaded.tools().names()).containsExactly("echo");
        assertThat(loaded.agents().all())
                .extracting(a -> a.descriptor().id().value())
                .containsExactly("coded-1", "demo-echo", "demo-router", "refund-checker");
        Agent echo = loaded.agents().get(AgentId.of("demo-echo"));
        assertThat(echo.descriptor().source()).isEqualTo("packs/demo/agents.yaml");
        assertThat(loaded.agents().query(AgentQuery.any().withTeam("demo"))).hasSize(2);
    }

    @Test
    void reports_clashing_tools_and_missing_resources_together() {
        assertThatThrownBy(() -> PackLoader.load(List.of(new DemoPack(), new EchoAgainPack())))
                .isInstanceOfSatisfying(InvalidDefinitionException.class, e -> assertThat(e.errors())
                        .extracting(DefinitionError::format)
                        .containsExactly(
                                "class:" + EchoAgainPack.class.getName()
                                        + ": field 'tools': duplicate tool name 'echo': "
                                        + "also provided by pack 'demo' (" + DemoPack.class.getName() + ")",
                                "class:" + EchoAgainPack.class.getName() + ": field 'definitionResources': "
                                        + "resource 'packs/echo-again/missing.yaml' is not on the class path"));
    }

    @Test
    void starts_packs_with_their_context_and_loads_their_workflows_against_every_packs_agents() {
        PackContext context =
                PackContext.of(dir.resolve("data"), java.time.Clock.systemUTC()).with(String.class, "hello");

        LoadedPacks loaded = PackLoader.load(List.of(new DemoPack(), new FlowPack()), context);

        assertThat(loaded.agents().find(AgentId.of("flow-data"))).isPresent();
        assertThat(loaded.workflows()).extracting(w -> w.id()).containsExactly("demo-flow");
        assertThat(loaded.agents()
                        .get(AgentId.of("flow-data"))
                        .run(
                                dev.guildhall.core.agent.AgentTask.of(dev.guildhall.core.json.Json.object()),
                                dev.guildhall.core.agent.AgentContext.standalone(
                                        dev.guildhall.core.agent.AgentDescriptor.of("flow-data"),
                                        dev.guildhall.core.WorkspaceId.of("w")))
                        .output()
                        .path("greeting")
                        .asText())
                .isEqualTo("hello");
    }

    @Test
    void a_workflow_naming_an_unknown_agent_fails_loading_with_its_place() {
        assertThatThrownBy(() ->
                        PackLoader.load(List.of(new FlowPack()), PackContext.of(dir, java.time.Clock.systemUTC())))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("packs/flow/flow.yaml")
                .hasMessageContaining("demo-echo");
    }
}
