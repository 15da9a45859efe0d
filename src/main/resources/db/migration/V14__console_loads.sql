-- Fixture loads started from the console: progress and outcome in the database, so that the progress page is
-- answered by every process of one service, not only by the one that took the upload (and runs the load).
-- The id is random (the page's address); times are epoch milliseconds. A running row whose updated_at stops
-- moving belongs to a process that died: readers show it as failed.
CREATE TABLE console_loads (
    id          TEXT   NOT NULL PRIMARY KEY,
    tenant      TEXT,
    started_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    bytes_read  BIGINT NOT NULL,
    bytes_total BIGINT NOT NULL,
    users       BIGINT NOT NULL,
    state       TEXT   NOT NULL,
    created     BIGINT NOT NULL,
    updated     BIGINT NOT NULL,
    deleted     BIGINT NOT NULL,
    unchanged   BIGINT NOT NULL,
    bad_path    TEXT,
    reason      TEXT
);
-- pruning on each new load deletes by age
CREATE INDEX console_loads_by_update ON console_loads (updated_at);
