package dev.guildhall.packs.support.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.agent.AgentContext;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.AgentTask;
import dev.guildhall.core.json.Json;
import dev.guildhall.knowledge.embed.EmbeddingService;
import dev.guildhall.packs.support.routing.WorkspaceRouters;
import org.junit.jupiter.api.Test;

class IntentRouterAgentTest {
    @Test
    void a_workspace_without_a_router_is_escalated_without_loading_any_model() {
        WorkspaceRouters routers = new WorkspaceRouters(null, () -> {
            throw new AssertionError("no model is needed to find that there is no router");
        });
        IntentRouterAgent agent = new IntentRouterAgent(routers, 0.3);

        AgentResult r = agent.run(
                AgentTask.of(Json.object().put("message", "I lost my card")),
                AgentContext.standalone(agent.descriptor(), WorkspaceId.of("fresh")));

        assertThat(r.wantsEscalation()).isTrue();
        assertThat(r.output().path("route").asText()).isEqualTo("escalated");
        assertThat(r.output().path("label").asText()).isEqualTo("none-of-these");
        assertThat(r.output().path("reason").asText()).contains("fresh").contains("no trained router");
    }

    @Test
    void min_confidence_outside_zero_to_one_is_refused() {
        WorkspaceRouters routers = new WorkspaceRouters(null, () -> (EmbeddingService) null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new IntentRouterAgent(routers, 1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minConfidence");
    }
}
