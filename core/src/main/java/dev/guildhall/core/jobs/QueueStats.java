package dev.guildhall.core.jobs;

import java.time.Duration;

/**
 * How the queue looks now.
 *
 * @param due entries waiting for a worker whose time has come
 * @param scheduled entries waiting for a later time (sleeping runs, deadlines)
 * @param leased entries a worker holds
 * @param dead entries parked as dead letters
 * @param lag how long the oldest due entry has been due; zero when none is
 */
public record QueueStats(long due, long scheduled, long leased, long dead, Duration lag) {}
