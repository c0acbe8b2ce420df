-- One row per customer message the desk settled: what analytics reads (volumes by intent and
-- channel, first-response time, auto-resolution and escalation, verification pass rate).
CREATE TABLE support_outcomes (
    workspace_id    VARCHAR(64)  NOT NULL,
    message_id      VARCHAR(80)  NOT NULL,
    conversation_id VARCHAR(64)  NOT NULL,
    channel         VARCHAR(16)  NOT NULL,
    intent          VARCHAR(200),
    outcome         VARCHAR(16)  NOT NULL,
    lane            VARCHAR(16),
    verified        BOOLEAN,
    received_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    answered_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (workspace_id, message_id)
);

CREATE INDEX support_outcomes_by_time ON support_outcomes (workspace_id, answered_at);
