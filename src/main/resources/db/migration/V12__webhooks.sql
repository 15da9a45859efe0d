-- Outgoing webhooks (roster.webhook). Delivery is driven from user_changes: a subscription's position is the
-- last sequence it has delivered (or passed over), so every change path is seen and a restart resumes there.

-- What a change was, for the event types: created (no row before) and, for feishu's acs.user.updated_v1, a
-- digest of the card and face so that an update that touched them can be told from one that did not.
ALTER TABLE user_changes ADD COLUMN created SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE user_changes ADD COLUMN acs_digest TEXT;
CREATE INDEX user_changes_user ON user_changes (tenant_id, user_id, seq);

-- An app's event keys (feishu's encrypt key and verification token), sealed, write-only.
ALTER TABLE apps ADD COLUMN event_keys_sealed TEXT;

-- A subscription, its position in the change sequence and its lease: the node whose lease is live delivers it;
-- a lease not renewed by its expiry (the node died) is taken over by another.
CREATE TABLE webhooks (
    tenant_id       TEXT     NOT NULL,
    id              TEXT     NOT NULL,
    url             TEXT     NOT NULL,
    format          TEXT     NOT NULL,
    secret_sealed   TEXT,
    old_secret_sealed TEXT,
    old_secret_until  BIGINT,
    app_id          TEXT,
    events          TEXT     NOT NULL,
    position        BIGINT   NOT NULL,
    paused          SMALLINT NOT NULL DEFAULT 0,
    failing_since   BIGINT,
    attempts        INTEGER  NOT NULL DEFAULT 0,
    next_attempt_at BIGINT   NOT NULL DEFAULT 0,
    last_error      TEXT,
    verify_pending  SMALLINT NOT NULL DEFAULT 0,
    lease_owner     TEXT,
    lease_until     BIGINT   NOT NULL DEFAULT 0,
    log_count       BIGINT   NOT NULL DEFAULT 0,
    created_at      BIGINT   NOT NULL,
    updated_at      BIGINT   NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- The delivery log: the last attempts of each subscription (older ones are dropped as new ones come).
CREATE TABLE webhook_deliveries (
    tenant_id    TEXT    NOT NULL,
    webhook_id   TEXT    NOT NULL,
    attempt      BIGINT  NOT NULL,
    event_id     TEXT    NOT NULL,
    event_type   TEXT    NOT NULL,
    seq          BIGINT  NOT NULL,
    attempted_at BIGINT  NOT NULL,
    status       INTEGER NOT NULL,
    latency_ms   BIGINT  NOT NULL,
    answer       TEXT,
    error        TEXT,
    PRIMARY KEY (tenant_id, webhook_id, attempt)
);
