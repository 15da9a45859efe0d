-- V11 and V12 each created an index on user_changes (tenant_id, user_id, seq): one is enough, and every change
-- written (a load of a million users writes a million) paid for both.
DROP INDEX user_changes_user;
