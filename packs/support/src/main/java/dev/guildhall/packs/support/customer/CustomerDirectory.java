package dev.guildhall.packs.support.customer;

import dev.guildhall.core.WorkspaceId;
import java.util.Optional;

/**
 * Where customer profiles come from: the workspace's CRM, the pack's own tables, or memory.
 * Implementations are thread-safe and may be slow (a remote call), which is why the desk reads
 * them through {@link CustomerContext}'s cache.
 */
public interface CustomerDirectory {
    /** The customer's profile, or empty when the workspace does not know this customer. */
    Optional<CustomerProfile> find(WorkspaceId workspace, CustomerId customer);
}
