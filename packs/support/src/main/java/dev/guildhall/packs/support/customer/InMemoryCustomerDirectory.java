package dev.guildhall.packs.support.customer;

import dev.guildhall.core.Checks;
import dev.guildhall.core.WorkspaceId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Profiles kept in memory per workspace: for the demo, the replay command and tests. Thread-safe. */
public final class InMemoryCustomerDirectory implements CustomerDirectory {
    private final Map<WorkspaceId, Map<CustomerId, CustomerProfile>> profiles = new ConcurrentHashMap<>();

    public InMemoryCustomerDirectory put(WorkspaceId workspace, CustomerProfile profile) {
        Checks.notNull(workspace, "workspace");
        Checks.notNull(profile, "profile");
        profiles.computeIfAbsent(workspace, w -> new ConcurrentHashMap<>()).put(profile.id(), profile);
        return this;
    }

    @Override
    public Optional<CustomerProfile> find(WorkspaceId workspace, CustomerId customer) {
        return Optional.ofNullable(profiles.getOrDefault(workspace, Map.of()).get(customer));
    }
}
