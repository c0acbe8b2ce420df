-- The cost ledger and budgets. Plain SQL that H2 (MODE=PostgreSQL) and PostgreSQL both accept.
--
-- Time is stored as epoch nanoseconds in a BIGINT, not as TIMESTAMP WITH TIME ZONE: it round-trips a
-- java.time.Instant exactly (PostgreSQL timestamps stop at microseconds), compares and indexes as a
-- plain integer, and the UTC day is at_epoch_nanos / 86400000000000 in both databases, with no
-- vendor-specific time-zone functions. It covers the years 1677 to 2262.
--
-- Money is NUMERIC(38, 18) so sums stay exact; the *_scale columns keep the scale the caller gave
-- (0.10 stays 0.10, not 0.100000000000000000), because BigDecimal equality depends on it.

CREATE TABLE cost_ledger (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at_epoch_nanos    BIGINT         NOT NULL,
    workspace         VARCHAR(200)   NOT NULL,
    user_id           VARCHAR(200),
    run_id            VARCHAR(200),
    agent_id          VARCHAR(200),
    kind              VARCHAR(20)    NOT NULL,
    provider          VARCHAR(200)   NOT NULL,
    model             VARCHAR(200)   NOT NULL,
    policy            VARCHAR(20)    NOT NULL,
    requested_policy  VARCHAR(20)    NOT NULL,
    input_tokens      BIGINT         NOT NULL,
    output_tokens     BIGINT         NOT NULL,
    estimated_tokens  BOOLEAN        NOT NULL,
    latency_nanos     BIGINT         NOT NULL,
    cost              NUMERIC(38, 18) NOT NULL,
    cost_scale        INTEGER        NOT NULL,
    cached            BOOLEAN        NOT NULL,
    streamed          BOOLEAN        NOT NULL
);

CREATE INDEX cost_ledger_workspace_at ON cost_ledger (workspace, at_epoch_nanos);

-- Budget.Key is (workspace, scope, user). The user is '' rather than NULL for the scopes without
-- one, so the key can be the primary key; a real UserId is never blank.
CREATE TABLE budgets (
    workspace         VARCHAR(200)   NOT NULL,
    scope             VARCHAR(20)    NOT NULL,
    user_id           VARCHAR(200)   NOT NULL,
    period            VARCHAR(20)    NOT NULL,
    soft_limit        NUMERIC(38, 18),
    soft_limit_scale  INTEGER,
    hard_limit        NUMERIC(38, 18),
    hard_limit_scale  INTEGER,
    PRIMARY KEY (workspace, scope, user_id)
);
