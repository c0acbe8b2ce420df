-- Identities from external OpenID Connect providers, linked to a local user: the provider's issuer
-- and subject name one person for good (an email can change hands), so they are the key.
CREATE TABLE external_identities (
    issuer                VARCHAR(500) NOT NULL,
    subject               VARCHAR(255) NOT NULL,
    user_id               VARCHAR(64)  NOT NULL,
    email                 VARCHAR(320),
    created_epoch_nanos   BIGINT       NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX external_identities_by_user ON external_identities (user_id);
