package dev.guildhall.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.RunId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Signals kept in memory; the durable inbox comes with the store. */
public final class InMemorySignalInbox implements SignalInbox {
    private final Map<String, Deque<JsonNode>> queues = new ConcurrentHashMap<>();

    private static String key(RunId run, String name) {
        return run.value() + "\u0000" + name;
    }

    @Override
    public void deliver(RunId run, String name, JsonNode payload) {
        Deque<JsonNode> q = queues.computeIfAbsent(key(run, name), k -> new ArrayDeque<>());
        synchronized (q) {
            q.addLast(payload);
        }
    }

    @Override
    public Optional<JsonNode> peek(RunId run, String name) {
        Deque<JsonNode> q = queues.get(key(run, name));
        if (q == null) {
            return Optional.empty();
        }
        synchronized (q) {
            return Optional.ofNullable(q.peekFirst());
        }
    }

    @Override
    public void consume(RunId run, String name) {
        Deque<JsonNode> q = queues.get(key(run, name));
        if (q != null) {
            synchronized (q) {
                q.pollFirst();
            }
        }
    }
}
