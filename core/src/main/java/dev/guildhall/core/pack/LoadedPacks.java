package dev.guildhall.core.pack;

import dev.guildhall.core.Checks;
import dev.guildhall.core.registry.AgentRegistry;
import dev.guildhall.core.tool.ToolRegistry;
import dev.guildhall.core.workflow.Workflow;
import java.util.List;

/**
 * The packs of a deployment with everything they contribute, checked together.
 *
 * @param packs sorted by id
 * @param workflows the packs' YAML workflows, in pack order then resource order
 */
public record LoadedPacks(
        List<GuildhallPack> packs, ToolRegistry tools, AgentRegistry agents, List<Workflow> workflows) {
    public LoadedPacks {
        packs = List.copyOf(packs);
        Checks.notNull(tools, "tools");
        Checks.notNull(agents, "agents");
        workflows = List.copyOf(workflows);
    }

    public LoadedPacks(List<GuildhallPack> packs, ToolRegistry tools, AgentRegistry agents) {
        this(packs, tools, agents, List.of());
    }
}
