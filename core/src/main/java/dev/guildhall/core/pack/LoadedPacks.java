package dev.guildhall.core.pack;

import dev.guildhall.core.Checks;
import dev.guildhall.core.registry.AgentRegistry;
import dev.guildhall.core.tool.ToolRegistry;
import java.util.List;

/**
 * The packs of a deployment with everything they contribute, checked together.
 *
 * @param packs sorted by id
 */
public record LoadedPacks(List<GuildhallPack> packs, ToolRegistry tools, AgentRegistry agents) {
    public LoadedPacks {
        packs = List.copyOf(packs);
        Checks.notNull(tools, "tools");
        Checks.notNull(agents, "agents");
    }
}
