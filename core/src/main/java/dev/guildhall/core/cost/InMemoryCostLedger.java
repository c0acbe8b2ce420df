package dev.guildhall.core.cost;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.Checks;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;

/** A {@link CostLedger} in a list: for tests and single-process use; lost on restart. */
public final class InMemoryCostLedger implements CostLedger {
    private final List<CostEntry> entries = new ArrayList<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    @Override
    public void record(CostEntry entry) {
        Checks.notNull(entry, "entry");
        lock.writeLock().lock();
        try {
            entries.add(entry);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public List<CostEntry> entries(SpendQuery query) {
        Checks.notNull(query, "query");
        lock.readLock().lock();
        try {
            return entries.stream()
                    .filter(query::matches)
                    .sorted(Comparator.comparing(CostEntry::at))
                    .toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<SpendRow> spend(SpendQuery query) {
        Map<GroupKey, Totals> groups = new LinkedHashMap<>();
        for (CostEntry e : entries(query)) {
            groups.computeIfAbsent(GroupKey.of(e, query.groupBy()), k -> new Totals())
                    .add(e);
        }
        if (groups.isEmpty() && query.groupBy().isEmpty()) {
            groups.put(GroupKey.NONE, new Totals());
        }
        return groups.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(GroupKey.ORDER))
                .map(g -> g.getValue().toRow(g.getKey()))
                .toList();
    }

    /** The keys of one group; fields not grouped by are null. */
    private record GroupKey(
            @Nullable WorkspaceId workspace,
            @Nullable UserId user,
            @Nullable AgentId agent,
            @Nullable String provider,
            @Nullable String model,
            @Nullable LocalDate day) {
        static final GroupKey NONE = new GroupKey(null, null, null, null, null, null);
        static final Comparator<GroupKey> ORDER = Comparator.comparing(
                        (GroupKey k) -> k.workspace == null ? null : k.workspace.value(),
                        Comparator.nullsFirst(Comparator.<String>naturalOrder()))
                .thenComparing(
                        k -> k.user == null ? null : k.user.value(), Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(
                        k -> k.agent == null ? null : k.agent.value(), Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(GroupKey::provider, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(GroupKey::model, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(GroupKey::day, Comparator.nullsFirst(Comparator.naturalOrder()));

        static GroupKey of(CostEntry e, List<SpendQuery.GroupBy> groupBy) {
            boolean model = groupBy.contains(SpendQuery.GroupBy.MODEL);
            return new GroupKey(
                    groupBy.contains(SpendQuery.GroupBy.WORKSPACE) ? e.workspace() : null,
                    groupBy.contains(SpendQuery.GroupBy.USER) ? e.user() : null,
                    groupBy.contains(SpendQuery.GroupBy.AGENT) ? e.agent() : null,
                    model ? e.provider() : null,
                    model ? e.model() : null,
                    groupBy.contains(SpendQuery.GroupBy.DAY) ? LocalDate.ofInstant(e.at(), ZoneOffset.UTC) : null);
        }
    }

    private static final class Totals {
        long calls;
        long cachedCalls;
        long inputTokens;
        long outputTokens;
        BigDecimal cost = BigDecimal.ZERO;

        void add(CostEntry e) {
            calls++;
            cachedCalls += e.cached() ? 1 : 0;
            inputTokens += e.inputTokens();
            outputTokens += e.outputTokens();
            cost = cost.add(e.cost());
        }

        SpendRow toRow(GroupKey k) {
            return new SpendRow(
                    k.workspace(),
                    k.user(),
                    k.agent(),
                    k.provider(),
                    k.model(),
                    k.day(),
                    calls,
                    cachedCalls,
                    inputTokens,
                    outputTokens,
                    cost);
        }
    }

    @Override
    public String toString() {
        lock.readLock().lock();
        try {
            return "InMemoryCostLedger[entries=" + entries.size() + "]";
        } finally {
            lock.readLock().unlock();
        }
    }
}
