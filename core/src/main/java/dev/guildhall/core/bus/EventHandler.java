package dev.guildhall.core.bus;

/**
 * Handles one delivered event. Returning acknowledges it; throwing leaves it unacknowledged, so
 * the bus delivers it again later (to this or another consumer of the group).
 */
@FunctionalInterface
public interface EventHandler {
    void handle(BusEvent event) throws Exception;
}
