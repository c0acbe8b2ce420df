package dev.guildhall.packs.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.agent.AgentDescriptor;
import dev.guildhall.core.agent.Tier;
import dev.guildhall.core.pack.LoadedPacks;
import dev.guildhall.core.pack.PackContext;
import dev.guildhall.core.pack.PackLoader;
import dev.guildhall.core.registry.AgentQuery;
import dev.guildhall.core.workflow.Workflow;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupportPackTest {
    @TempDir
    Path dir;

    @Test
    void is_discovered_and_contributes_a_tiered_catalogue_and_the_desk_workflow() {
        LoadedPacks loaded = PackLoader.load(
                PackLoader.discover(getClass().getClassLoader()), PackContext.of(dir, Clock.systemUTC()));

        assertThat(loaded.packs()).anyMatch(p -> p.id().equals(SupportPack.ID));
        assertThat(loaded.workflows()).extracting(Workflow::id).contains(SupportDesk.WORKFLOW_ID);
        for (Tier tier : Tier.values()) {
            assertThat(loaded.agents().query(AgentQuery.any().withTier(tier)))
                    .as("agents of tier %s", tier)
                    .isNotEmpty();
        }
        List<String> ids = loaded.agents().all().stream()
                .map(a -> a.descriptor().id().value())
                .toList();
        assertThat(ids)
                .contains(
                        "intent-router",
                        "customer-context",
                        "triage",
                        "knowledge-answerer",
                        "reply-composer",
                        "churn-risk",
                        "billing-dispute",
                        "qa-verifier",
                        "sentiment",
                        "escalation",
                        "panel-summariser",
                        "knowledge-gap");
        assertThat(loaded.agents().all())
                .map(a -> a.descriptor())
                .filteredOn(d -> d.team().equals("support") || d.team().equals("billing"))
                .extracting(AgentDescriptor::id)
                .hasSize(ids.size());
    }
}
