package dev.guildhall.core.workflow.internal;

import dev.guildhall.core.workflow.RunEvent;
import dev.guildhall.core.workflow.RunListener;

/**
 * The listener that ignores every event. One instance, so that the engine can recognise it and
 * not build events nobody reads.
 */
public enum NoopRunListener implements RunListener {
    INSTANCE;

    @Override
    public void onEvent(RunEvent event) {}
}
