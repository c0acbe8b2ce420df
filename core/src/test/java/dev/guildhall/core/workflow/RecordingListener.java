package dev.guildhall.core.workflow;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event, for assertions on what happened and in which order. */
final class RecordingListener implements RunListener {
    final List<RunEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(RunEvent event) {
        events.add(event);
    }

    List<String> types() {
        return events.stream().map(RunEvent::type).toList();
    }

    List<String> stepsStarted() {
        return events.stream()
                .filter(e -> e instanceof RunEvent.StepStarted)
                .map(e -> ((RunEvent.StepStarted) e).step())
                .toList();
    }

    <E extends RunEvent> List<E> of(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
