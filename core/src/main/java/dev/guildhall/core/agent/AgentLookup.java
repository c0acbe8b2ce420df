package dev.guildhall.core.agent;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.NotFoundException;
import java.util.Optional;

/** Finds agents by id; the registry implements it, and the engine needs nothing more. */
@FunctionalInterface
public interface AgentLookup {
    Optional<Agent> find(AgentId id);

    default Agent get(AgentId id) {
        return find(id).orElseThrow(() -> new NotFoundException("Agent", id));
    }
}
