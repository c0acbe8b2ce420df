package dev.guildhall.server;

/** The cross-workspace sweep on the embedded H2 database. */
class WorkspaceIsolationH2IT extends WorkspaceIsolationContract {}
