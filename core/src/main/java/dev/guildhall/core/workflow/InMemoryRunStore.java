package dev.guildhall.core.workflow;

import dev.guildhall.core.NotFoundException;
import dev.guildhall.core.RunId;
import dev.guildhall.core.WorkspaceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs kept in memory, lost on exit: the embedded test double of the durable store, following
 * the same version rule. Snapshots are immutable records, so storing them is storing copies.
 *
 * @param keepHistory whether to keep every checkpoint (the step history) or only the latest
 */
public final class InMemoryRunStore implements RunStore {
    private final Map<RunId, List<RunSnapshot>> runs = new ConcurrentHashMap<>();
    private final Map<String, RunId> byIdempotencyKey = new ConcurrentHashMap<>();
    private final boolean keepHistory;

    public InMemoryRunStore() {
        this(true);
    }

    public InMemoryRunStore(boolean keepHistory) {
        this.keepHistory = keepHistory;
    }

    @Override
    public RunSnapshot create(RunSnapshot run) {
        if (run.idempotencyKey() != null) {
            String key = run.workspace().value() + "\u0000" + run.idempotencyKey();
            RunId existing = byIdempotencyKey.putIfAbsent(key, run.id());
            if (existing != null) {
                return get(existing);
            }
        }
        List<RunSnapshot> versions = new ArrayList<>();
        versions.add(run);
        if (runs.putIfAbsent(run.id(), versions) != null) {
            throw new IllegalArgumentException("run " + run.id() + " already exists");
        }
        return run;
    }

    @Override
    public RunSnapshot save(RunSnapshot next) {
        List<RunSnapshot> versions = runs.get(next.id());
        if (versions == null) {
            throw new NotFoundException("Run", next.id());
        }
        synchronized (versions) {
            RunSnapshot current = versions.get(versions.size() - 1);
            if (current.version() + 1 != next.version()) {
                throw new StaleVersionException(next.id(), next.version() - 1, current.version());
            }
            if (!keepHistory) {
                versions.clear();
            }
            versions.add(next);
        }
        return next;
    }

    @Override
    public Optional<RunSnapshot> find(RunId id) {
        List<RunSnapshot> versions = runs.get(id);
        if (versions == null) {
            return Optional.empty();
        }
        synchronized (versions) {
            return Optional.of(versions.get(versions.size() - 1));
        }
    }

    @Override
    public Optional<RunSnapshot> findByIdempotencyKey(WorkspaceId workspace, String key) {
        return Optional.ofNullable(byIdempotencyKey.get(workspace.value() + "\u0000" + key))
                .flatMap(this::find);
    }

    @Override
    public List<RunSnapshot> history(RunId id) {
        List<RunSnapshot> versions = runs.get(id);
        if (versions == null) {
            return List.of();
        }
        synchronized (versions) {
            return List.copyOf(versions);
        }
    }

    @Override
    public List<RunId> children(RunId parent) {
        List<RunId> out = new ArrayList<>();
        runs.forEach((id, versions) -> {
            synchronized (versions) {
                if (parent.equals(versions.get(0).parent())) {
                    out.add(id);
                }
            }
        });
        return out;
    }
}
