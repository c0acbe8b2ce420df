package dev.guildhall.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.RunId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Signals kept in memory; the durable inbox comes with the store. A run's entry goes once it has no signals left. */
public final class InMemorySignalInbox implements SignalInbox {
    private final Map<RunId, List<Signal>> byRun = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    @Override
    public Signal deliver(RunId run, String name, JsonNode payload) {
        Signal signal = new Signal(ids.incrementAndGet(), name, payload);
        byRun.compute(run, (r, list) -> {
            List<Signal> next = list == null ? new ArrayList<>() : list;
            next.add(signal);
            return next;
        });
        return signal;
    }

    @Override
    public List<Signal> pending(RunId run, String name) {
        List<Signal> out = new ArrayList<>();
        byRun.computeIfPresent(run, (r, list) -> {
            for (Signal s : list) {
                if (s.name().equals(name)) {
                    out.add(s);
                }
            }
            return list;
        });
        return out;
    }

    @Override
    public void consume(RunId run, long signalId) {
        byRun.computeIfPresent(run, (r, list) -> {
            list.removeIf(s -> s.id() == signalId);
            return list.isEmpty() ? null : list;
        });
    }
}
