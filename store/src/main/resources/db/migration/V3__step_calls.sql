-- Results steps got from memo and agent calls, written as they happen in durable mode, so that a
-- step run again after a crash (before its checkpoint) gets them instead of calling again. Keyed
-- by the step with its loop visit (node or node#n); removed when the run finishes.
CREATE TABLE step_calls (
    run_id      VARCHAR(64)  NOT NULL,
    step        VARCHAR(300) NOT NULL,
    call_key    VARCHAR(400) NOT NULL,
    result      TEXT         NOT NULL,
    PRIMARY KEY (run_id, step, call_key)
);
