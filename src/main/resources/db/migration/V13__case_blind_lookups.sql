-- Case-blind lookups of a user by username or email (SCIM's userName and emails are caseExact false; Entra ID and
-- Okta match users with filter=userName eq "…"): FilterSql compares LOWER(column) = ?, which these expression
-- indexes answer without scanning the tenant. Both SQLite and PostgreSQL index expressions.
CREATE INDEX users_username_lower ON users (tenant_id, LOWER(username));
CREATE INDEX users_email_lower ON users (tenant_id, LOWER(email));
