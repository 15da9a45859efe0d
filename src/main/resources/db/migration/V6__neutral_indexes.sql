-- The nonce table serves any front end that verifies signed requests, not Authing alone.
ALTER TABLE authing_nonces RENAME TO request_nonces;

-- "Active and in an access group" (who a door controller knows) as a plain index rather than a partial one
-- whose WHERE clause had to repeat one front end's rule: equality on status and acs_member, then num order.
DROP INDEX users_acs_listed;
CREATE INDEX users_status_acs_num ON users (tenant_id, status, acs_member, num);
