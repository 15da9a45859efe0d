-- Who made each change and which fields it changed, for the console's audit view. Both are null for writes
-- that name no actor (the dialects, the admin API, loads): only Directory.actingAs(...) records them.
ALTER TABLE user_changes ADD COLUMN actor TEXT;
ALTER TABLE user_changes ADD COLUMN changed_fields TEXT;
-- a user's history, newest first, without scanning the tenant's whole feed
CREATE INDEX user_changes_by_user ON user_changes (tenant_id, user_id, seq);

-- Console sign-ins, in the database so that every process of one service knows them. The cookie carries a
-- random token; only its SHA-256 is kept here, so a copy of the database opens no session.
CREATE TABLE console_sessions (
    token_hash TEXT   NOT NULL PRIMARY KEY,
    csrf       TEXT   NOT NULL,
    actor      TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL
);
