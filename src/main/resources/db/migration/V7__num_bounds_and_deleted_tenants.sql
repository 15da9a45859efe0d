-- Nums are bounded to 2^53 - 1 (the largest integer a JavaScript client reads exactly). A counter that an
-- earlier num near 2^63 pushed out of range (or past the bound) restarts above the largest num in range;
-- the writer finds a free num below the bound once a counter passes it.
UPDATE tenants SET next_user_num = 1 + COALESCE((SELECT MAX(u.num) FROM users u
        WHERE u.tenant_id = tenants.id AND u.num BETWEEN 1 AND 9007199254740991), 0)
    WHERE next_user_num < 1 OR next_user_num > 9007199254740992;
UPDATE tenants SET next_dept_num = 1 + COALESCE((SELECT MAX(d.num) FROM departments d
        WHERE d.tenant_id = tenants.id AND d.num BETWEEN 1 AND 9007199254740991), 0)
    WHERE next_dept_num < 1 OR next_dept_num > 9007199254740992;

-- The counters of deleted tenants: a tenant created again under the same id continues above every sequence
-- number and num its predecessor issued, so a client that synced the old tenant never sees a number twice.
CREATE TABLE deleted_tenants (
    id            TEXT PRIMARY KEY,
    last_seq      BIGINT NOT NULL,
    next_user_num BIGINT NOT NULL,
    next_dept_num BIGINT NOT NULL,
    deleted_at    BIGINT NOT NULL
);
