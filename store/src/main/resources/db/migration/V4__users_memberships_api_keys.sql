-- The server's identities: local users (password hashes only, in Spring Security's
-- "{id}hash" form so the algorithm can change without a migration), their role in each workspace,
-- and API keys. A key's secret is never stored: only its visible prefix and a hash of the whole key.

CREATE TABLE users (
    id                    VARCHAR(64)  PRIMARY KEY,
    username              VARCHAR(200) NOT NULL,
    password_hash         VARCHAR(500),
    created_epoch_nanos   BIGINT       NOT NULL,
    CONSTRAINT users_username UNIQUE (username)
);

-- role is one of owner, admin, member, viewer.
CREATE TABLE memberships (
    workspace             VARCHAR(200) NOT NULL,
    user_id               VARCHAR(64)  NOT NULL,
    role                  VARCHAR(16)  NOT NULL,
    created_epoch_nanos   BIGINT       NOT NULL,
    PRIMARY KEY (workspace, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

-- scopes is a space-separated list, a subset of the creator's scopes when the key was made.
CREATE TABLE api_keys (
    id                    VARCHAR(64)  PRIMARY KEY,
    workspace             VARCHAR(200) NOT NULL,
    user_id               VARCHAR(64)  NOT NULL,
    name                  VARCHAR(200) NOT NULL,
    prefix                VARCHAR(32)  NOT NULL,
    secret_hash           VARCHAR(128) NOT NULL,
    scopes                VARCHAR(1000) NOT NULL,
    created_epoch_nanos   BIGINT       NOT NULL,
    expires_epoch_nanos   BIGINT,
    revoked_epoch_nanos   BIGINT,
    CONSTRAINT api_keys_prefix UNIQUE (prefix)
);
CREATE INDEX api_keys_by_workspace ON api_keys (workspace, created_epoch_nanos);
