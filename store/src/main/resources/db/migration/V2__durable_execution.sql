-- Durable execution: runs and their checkpoints, payloads stored once per run, signals, the job
-- queue, the event outbox, workspaces and the audit log. Plain SQL that H2 (MODE=PostgreSQL) and
-- PostgreSQL both accept; times are epoch nanoseconds as in V1. JSON is kept as text: the store
-- never queries inside it, and both databases then treat it the same way.

CREATE TABLE workspaces (
    id                    VARCHAR(200) PRIMARY KEY,
    name                  VARCHAR(400) NOT NULL,
    created_epoch_nanos   BIGINT       NOT NULL
);

-- One row per run: its identity and a pointer (version) to its latest checkpoint.
CREATE TABLE runs (
    id                    VARCHAR(64)  PRIMARY KEY,
    workspace             VARCHAR(200) NOT NULL,
    workflow_id           VARCHAR(200) NOT NULL,
    user_id               VARCHAR(200),
    idempotency_key       VARCHAR(400),
    parent_id             VARCHAR(64),
    parent_key            VARCHAR(400),
    status                VARCHAR(16)  NOT NULL,
    input_json            TEXT         NOT NULL,
    version               BIGINT       NOT NULL,
    superstep             INTEGER      NOT NULL,
    created_epoch_nanos   BIGINT       NOT NULL,
    updated_epoch_nanos   BIGINT       NOT NULL,
    compacted             BOOLEAN      NOT NULL DEFAULT FALSE,
    CONSTRAINT runs_idempotency UNIQUE (workspace, idempotency_key)
);
CREATE INDEX runs_by_workspace ON runs (workspace, status, updated_epoch_nanos);
CREATE INDEX runs_by_status ON runs (status, updated_epoch_nanos);
CREATE INDEX runs_by_parent ON runs (parent_id);

-- Every saved version of a run. State values larger than the inline limit live in payloads and are
-- referenced by hash, so a large document carried through twenty steps is stored once.
CREATE TABLE checkpoints (
    run_id                VARCHAR(64)  NOT NULL,
    version               BIGINT       NOT NULL,
    status                VARCHAR(16)  NOT NULL,
    superstep             INTEGER      NOT NULL,
    state_inline          TEXT         NOT NULL,
    state_refs            TEXT         NOT NULL,
    frontier              TEXT         NOT NULL,
    visits                TEXT         NOT NULL,
    waits                 TEXT         NOT NULL,
    journal               TEXT         NOT NULL,
    failure               TEXT,
    updated_epoch_nanos   BIGINT       NOT NULL,
    PRIMARY KEY (run_id, version)
);

CREATE TABLE payloads (
    run_id                VARCHAR(64)  NOT NULL,
    hash                  VARCHAR(64)  NOT NULL,
    body                  TEXT         NOT NULL,
    size_bytes            BIGINT       NOT NULL,
    PRIMARY KEY (run_id, hash)
);

-- Signals wait here until a step consumes them, so one sent before the run waits is not lost.
CREATE TABLE signals (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id                VARCHAR(64)  NOT NULL,
    name                  VARCHAR(200) NOT NULL,
    payload               TEXT         NOT NULL,
    delivered_epoch_nanos BIGINT       NOT NULL
);
CREATE INDEX signals_by_run ON signals (run_id, name, id);

-- The job queue: at most one entry per run. status R = ready (due at run_at), L = leased to
-- lease_owner until lease_until, D = dead letter. wake_seq counts wake-ups; one that arrives during
-- a lease raises it (and sets woken_at), so completing the lease makes the run due again.
CREATE TABLE jobs (
    run_id                VARCHAR(64)  PRIMARY KEY,
    status                CHAR(1)      NOT NULL,
    run_at_epoch_nanos    BIGINT       NOT NULL,
    lease_owner           VARCHAR(200),
    lease_until_epoch_nanos BIGINT,
    wake_seq              BIGINT       NOT NULL,
    woken_at_epoch_nanos  BIGINT,
    claims                INTEGER      NOT NULL,
    reason                TEXT,
    updated_epoch_nanos   BIGINT       NOT NULL
);
CREATE INDEX jobs_due ON jobs (status, run_at_epoch_nanos);
CREATE INDEX jobs_leases ON jobs (status, lease_until_epoch_nanos);

-- The transactional outbox: written in the transaction that changes a run, deleted once a relay
-- has published it. event_id is stable (run and version), so a republished event can be dropped.
CREATE TABLE outbox (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id              VARCHAR(200) NOT NULL,
    topic                 VARCHAR(200) NOT NULL,
    event_type            VARCHAR(100) NOT NULL,
    event_key             VARCHAR(200) NOT NULL,
    payload               TEXT         NOT NULL,
    occurred_epoch_nanos  BIGINT       NOT NULL
);

CREATE TABLE audit_log (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace             VARCHAR(200) NOT NULL,
    actor                 VARCHAR(200) NOT NULL,
    action                VARCHAR(200) NOT NULL,
    target                VARCHAR(400) NOT NULL,
    detail                TEXT         NOT NULL,
    source                VARCHAR(200) NOT NULL,
    at_epoch_nanos        BIGINT       NOT NULL
);
CREATE INDEX audit_by_workspace ON audit_log (workspace, at_epoch_nanos);
