-- The version of each access group, SCIM's Group meta.version (ETag): drawn afresh whenever the group's name or
-- members change (store/AccessGroups.touch), so that every process on the database answers If-Match alike.
-- Numbered 14.1 so that another migration 14 of a branch merged alongside never collides with it.
ALTER TABLE access_groups ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
