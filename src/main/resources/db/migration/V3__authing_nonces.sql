-- Nonces of signed Authing management calls (authing-node-sdk), kept until the request's date can no longer
-- pass the clock-skew check: a replayed request is refused on every process of the service.
CREATE TABLE authing_nonces (
    app_id     TEXT   NOT NULL,
    nonce      TEXT   NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (app_id, nonce)
);
CREATE INDEX authing_nonces_expiry ON authing_nonces (expires_at);
