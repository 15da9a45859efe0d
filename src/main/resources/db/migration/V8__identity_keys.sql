-- Usernames and emails are unique by a key that folds case, compatibility forms and confusable characters
-- (NFKC_Casefold, then the UTS #39 skeleton; see roster.model.Identifiers). The key is computed in Java, so
-- the rows stored before this version get theirs when the server starts (Database.open). Not unique indexes:
-- look-alikes stored before the rule existed must not stop the server; the writer refuses new ones.
ALTER TABLE users ADD COLUMN username_key TEXT;
ALTER TABLE users ADD COLUMN email_key TEXT;
CREATE INDEX users_username_key ON users (tenant_id, username_key);
CREATE INDEX users_email_key ON users (tenant_id, email_key);
