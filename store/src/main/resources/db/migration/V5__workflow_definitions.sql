-- Declarative workflows registered through the server's API, per workspace. Each registration or
-- replacement is a new immutable version, so a run started on version 1 keeps its graph after
-- version 2 is registered; the latest version is what new runs use. Every node reads them from
-- here, so a server that starts later (or another server on the same database) can drive them.
CREATE TABLE workflow_definitions (
    workspace             VARCHAR(200) NOT NULL,
    workflow_id           VARCHAR(100) NOT NULL,
    version               INTEGER      NOT NULL,
    yaml                  TEXT         NOT NULL,
    created_by            VARCHAR(64)  NOT NULL,
    created_epoch_nanos   BIGINT       NOT NULL,
    PRIMARY KEY (workspace, workflow_id, version)
);
