package dev.guildhall.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.RunEvent;
import dev.guildhall.core.workflow.RunListener;
import java.io.PrintWriter;
import java.time.Duration;

/** Prints run events as they happen: one readable line each, or one JSON object per line. */
final class EventPrinter implements RunListener {
    private final PrintWriter out;
    private final boolean json;
    private final long started = System.nanoTime();

    EventPrinter(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    @Override
    public synchronized void onEvent(RunEvent event) {
        if (json) {
            ObjectNode node = Json.object();
            node.put("type", event.type());
            node.setAll((ObjectNode) Json.toTree(event));
            out.println(Json.write(node));
        } else {
            out.printf("  %8.3fs  %-8s %s%n", (System.nanoTime() - started) / 1e9, shortId(event), describe(event));
        }
        out.flush();
    }

    private static String shortId(RunEvent e) {
        String id = e.ref().run().value();
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    static String describe(RunEvent event) {
        if (event instanceof RunEvent.RunStarted e) {
            return "run started: " + e.ref().workflow();
        } else if (event instanceof RunEvent.StepStarted e) {
            return "step %-10s started (attempt %d)".formatted(e.step(), e.attempt());
        } else if (event instanceof RunEvent.StepSucceeded e) {
            return "step %-10s succeeded in %s, wrote %s".formatted(e.step(), millis(e.took()), e.wrote());
        } else if (event instanceof RunEvent.StepRetrying e) {
            return "step %-10s failed (attempt %d), retrying in %s: %s"
                    .formatted(e.step(), e.attempt(), millis(e.delay()), e.failure());
        } else if (event instanceof RunEvent.StepFailed e) {
            return "step %-10s failed for good (attempt %d): %s".formatted(e.step(), e.attempt(), e.failure());
        } else if (event instanceof RunEvent.RunSuspended e) {
            return "run suspended, waiting for " + e.waits();
        } else if (event instanceof RunEvent.SignalReceived e) {
            return "signal received: " + e.name();
        } else if (event instanceof RunEvent.RunResumed) {
            return "run resumed";
        } else if (event instanceof RunEvent.RunSucceeded e) {
            return "run succeeded in " + millis(e.took());
        } else if (event instanceof RunEvent.RunFailed e) {
            return "run failed: " + e.failure();
        } else if (event instanceof RunEvent.RunCancelled e) {
            return "run cancelled: " + e.reason();
        }
        return event.type();
    }

    private static String millis(Duration d) {
        return d.toNanos() < 1_000_000 ? "%.2f ms".formatted(d.toNanos() / 1e6) : d.toMillis() + " ms";
    }
}
