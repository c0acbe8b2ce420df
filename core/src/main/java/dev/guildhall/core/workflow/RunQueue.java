package dev.guildhall.core.workflow;

import dev.guildhall.core.RunId;
import java.time.Instant;

/**
 * Where an engine hands runs that need driving when it does not drive them on its own threads:
 * a durable queue persists each request so that a worker on any node takes it, even after a
 * crash. Starting a run, a signal, a finished sub-workflow and a wait's deadline all end up here.
 * Implementations are thread-safe.
 */
public interface RunQueue {

    /**
     * Asks for the run to be driven at or after {@code at}. An earlier request wins over a later
     * one, and a request made while a worker drives the run makes it run again afterwards, so no
     * wake-up is lost. Returns once the request is stored.
     */
    void schedule(RunId run, Instant at);
}
