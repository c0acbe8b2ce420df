package dev.guildhall.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.RunId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.bus.BusEvent;
import dev.guildhall.core.bus.EventBus;
import dev.guildhall.core.bus.Subscription;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.RunSnapshot;
import dev.guildhall.store.jdbc.CheckpointEvents;
import dev.guildhall.store.jdbc.JdbcRunStore;
import dev.guildhall.store.jdbc.JdbcWorkspaceRuns;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Run progress as Server-Sent Events. Each checkpoint of a run is one event: its id is the
 * checkpoint's version, its name the outbox event type ({@code run.created} ... {@code run.succeeded}),
 * its data the outbox event. A client that reconnects with {@code Last-Event-ID} gets the
 * checkpoints after that version from the store, then live ones as the outbox relay publishes them
 * to the bus. A gap in what the bus delivers is filled from the store, so events are never skipped
 * or repeated; the stream ends after the run's terminal event.
 */
@Component
public class RunEventStreams implements DisposableBean {
    private static final Logger LOG = LoggerFactory.getLogger(RunEventStreams.class);
    static final Duration TIMEOUT = Duration.ofMinutes(30);

    private final JdbcWorkspaceRuns runs;
    private final Map<RunId, Set<Stream>> open = new ConcurrentHashMap<>();
    private final Subscription subscription;

    public RunEventStreams(JdbcWorkspaceRuns runs, EventBus bus) {
        this.runs = runs;
        // A group of its own per node: every node sees every run event, whichever node relayed it.
        String group = "sse-" + UUID.randomUUID().toString().substring(0, 8);
        this.subscription = bus.subscribe(JdbcRunStore.TOPIC, group, "sse", this::onBusEvent);
    }

    /**
     * Opens a stream of a run the caller's workspace owns (the caller has checked that).
     *
     * @param after the last version the client has, or -1 for all
     */
    public SseEmitter open(WorkspaceId workspace, RunId run, long after) {
        SseEmitter emitter = new SseEmitter(TIMEOUT.toMillis());
        Stream stream = new Stream(workspace, run, emitter, after);
        open.computeIfAbsent(run, r -> ConcurrentHashMap.newKeySet()).add(stream);
        Runnable remove = () -> close(stream);
        emitter.onCompletion(remove);
        emitter.onTimeout(remove);
        emitter.onError(e -> remove.run());
        stream.catchUp(); // After registering: an event published meanwhile is not missed.
        return emitter;
    }

    private void close(Stream stream) {
        open.computeIfPresent(stream.run, (r, set) -> {
            set.remove(stream);
            return set.isEmpty() ? null : set;
        });
    }

    private void onBusEvent(BusEvent event) {
        Set<Stream> streams = open.get(new RunId(event.key()));
        if (streams == null || streams.isEmpty()) {
            return;
        }
        JsonNode payload = Json.parse(event.payload());
        long version = payload.path("version").asLong(-1);
        for (Stream s : streams) {
            s.offer(event.type(), version, payload);
        }
    }

    @Override
    public void destroy() {
        subscription.close();
        open.values().forEach(set -> set.forEach(s -> s.emitter.complete()));
        open.clear();
    }

    private static boolean terminal(String type) {
        return type.equals("run.succeeded") || type.equals("run.failed") || type.equals("run.cancelled");
    }

    /** One client's stream; sends are serialised, and {@code sent} is the last version it got. */
    private final class Stream {
        final WorkspaceId workspace;
        final RunId run;
        final SseEmitter emitter;
        long sent;
        boolean done;

        Stream(WorkspaceId workspace, RunId run, SseEmitter emitter, long after) {
            this.workspace = workspace;
            this.run = run;
            this.emitter = emitter;
            this.sent = after;
        }

        synchronized void catchUp() {
            if (done) {
                return;
            }
            List<RunSnapshot> history = runs.history(workspace, run).orElse(List.of());
            for (RunSnapshot checkpoint : history) {
                if (checkpoint.version() > sent && !done) {
                    send(CheckpointEvents.type(checkpoint), checkpoint.version(), CheckpointEvents.data(checkpoint));
                }
            }
        }

        synchronized void offer(String type, long version, JsonNode data) {
            if (done || version <= sent) {
                return; // Already sent, from the store or an earlier delivery.
            }
            if (version == sent + 1) {
                send(type, version, data);
            } else {
                catchUp(); // The bus skipped ahead (or this node joined late): the store has the rest.
            }
        }

        private void send(String type, long version, JsonNode data) {
            try {
                emitter.send(
                        SseEmitter.event().id(Long.toString(version)).name(type).data(data.toString()));
                sent = version;
                if (terminal(type)) {
                    done = true;
                    emitter.complete();
                }
            } catch (IOException | IllegalStateException e) {
                done = true; // The client went away; the emitter's callbacks remove this stream.
                LOG.debug("Run(id={}) event stream closed: {}", run, e.getMessage());
            }
        }
    }
}
