package dev.guildhall.core.registry.internal;

import dev.guildhall.core.AgentId;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One YAML document as far as it could be read: its id and references are kept even when the
 * document has problems, so that duplicate ids and unknown tools are reported in the same load.
 *
 * @param line where the id is written (or the document starts), for duplicate messages
 * @param definition the runnable definition, or null when the document had problems
 */
public record ParsedDocument(
        @Nullable AgentId id, int line, List<Ref> tools, List<Ref> handoffs, @Nullable AgentDefinition definition) {
    public ParsedDocument {
        tools = List.copyOf(tools);
        handoffs = List.copyOf(handoffs);
    }
}
