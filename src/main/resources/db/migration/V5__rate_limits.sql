-- Per-app request counters of the rate limit: one row per (app, one-second window), bumped by an atomic upsert,
-- so that every process on one database counts against the same limit. Old windows are deleted as new ones open.
CREATE TABLE rate_windows (
    app_id       TEXT   NOT NULL,
    window_start BIGINT NOT NULL,
    n            BIGINT NOT NULL,
    PRIMARY KEY (app_id, window_start)
);
