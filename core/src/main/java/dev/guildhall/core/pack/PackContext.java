package dev.guildhall.core.pack;

import dev.guildhall.core.Checks;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What the host (the server, the CLI, a test) hands each pack before it asks for the pack's agents:
 * where the pack may keep files, the clock, and the host's shared services by type (for example a
 * knowledge base or an embedding service). Core names no adapter types, so services are looked up
 * by class; a pack must work, in a reduced but honest way, when a service is absent.
 *
 * @param dataDir the deployment's data directory; a pack keeps its files under {@code dataDir/<pack id>}
 * @param services host services keyed by the type they are published as
 */
public record PackContext(Path dataDir, Clock clock, Map<Class<?>, Object> services) {
    public PackContext {
        Checks.notNull(dataDir, "dataDir");
        Checks.notNull(clock, "clock");
        services = Map.copyOf(services);
        services.forEach((type, service) -> {
            if (!type.isInstance(service)) {
                throw new IllegalArgumentException(
                        "service for " + type.getName() + " must be an instance of it, was " + service.getClass());
            }
        });
    }

    /** A context with no services, for tests and tools that run packs without a host. */
    public static PackContext of(Path dataDir, Clock clock) {
        return new PackContext(dataDir, clock, Map.of());
    }

    /** The same context with {@code service} published as {@code type}. */
    public <T> PackContext with(Class<T> type, T service) {
        java.util.HashMap<Class<?>, Object> more = new java.util.HashMap<>(services);
        more.put(Checks.notNull(type, "type"), Checks.notNull(service, "service"));
        return new PackContext(dataDir, clock, more);
    }

    /** The service published as {@code type}, if the host has one. */
    public <T> Optional<T> find(Class<T> type) {
        return Optional.ofNullable(services.get(type)).map(type::cast);
    }
}
