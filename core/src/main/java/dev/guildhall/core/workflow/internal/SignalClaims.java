package dev.guildhall.core.workflow.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which node of the current superstep took which signal, so that two nodes waiting for the same
 * name get two different signals rather than both the oldest one. A node may take its own claim
 * again on a retry. One per superstep.
 */
public final class SignalClaims {
    private final Map<Long, String> claims = new ConcurrentHashMap<>();

    /** Whether {@code node} may have signal {@code id}: nobody else claimed it in this superstep. */
    public boolean claim(long id, String node) {
        String owner = claims.putIfAbsent(id, node);
        return owner == null || owner.equals(node);
    }
}
