-- The support pack's own tables, migrated with their own history table (support_schema_history),
-- so these versions never collide with the store's. Runs on H2 (PostgreSQL mode) and PostgreSQL.
CREATE TABLE support_customers (
    workspace_id   VARCHAR(64)    NOT NULL,
    id             VARCHAR(64)    NOT NULL,
    name           VARCHAR(200)   NOT NULL,
    email          VARCHAR(320),
    plan           VARCHAR(64)    NOT NULL,
    lifetime_value NUMERIC(14, 2) NOT NULL,
    health         VARCHAR(16)    NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (workspace_id, id)
);

CREATE TABLE support_conversations (
    workspace_id VARCHAR(64)  NOT NULL,
    id           VARCHAR(64)  NOT NULL,
    customer_id  VARCHAR(64)  NOT NULL,
    channel      VARCHAR(16)  NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    assignee     VARCHAR(200),
    tags         VARCHAR(2000) NOT NULL,
    intent       VARCHAR(200),
    csat         INTEGER,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, customer_id) REFERENCES support_customers (workspace_id, id)
);

CREATE INDEX support_conversations_by_updated ON support_conversations (workspace_id, updated_at);

CREATE TABLE support_messages (
    workspace_id    VARCHAR(64)    NOT NULL,
    id              VARCHAR(80)    NOT NULL,
    conversation_id VARCHAR(64)    NOT NULL,
    author          VARCHAR(16)    NOT NULL,
    body            VARCHAR(20000) NOT NULL,
    citations       VARCHAR(20000) NOT NULL,
    run_id          VARCHAR(64),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, conversation_id) REFERENCES support_conversations (workspace_id, id)
);

CREATE INDEX support_messages_by_conversation ON support_messages (workspace_id, conversation_id, created_at);
