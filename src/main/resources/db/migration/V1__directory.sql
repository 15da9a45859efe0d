-- One schema for SQLite and PostgreSQL; ${binary} is the only type that differs (BLOB / BYTEA).
-- Timestamps are epoch milliseconds, booleans 0/1, lists and objects JSON text.

CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- last_seq is the tenant's change sequence. Every user write takes this row's lock first and holds it
-- until commit, so sequence numbers are handed out in commit order (see Directory.lockTenant).
CREATE TABLE tenants (
    id            TEXT PRIMARY KEY,
    name          TEXT,
    last_seq      BIGINT NOT NULL DEFAULT 0,
    next_user_num BIGINT NOT NULL DEFAULT 1,
    next_dept_num BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL
);

CREATE TABLE departments (
    tenant_id TEXT   NOT NULL,
    id        TEXT   NOT NULL,
    num       BIGINT NOT NULL,
    name      TEXT   NOT NULL,
    parent_id TEXT,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX departments_num ON departments (tenant_id, num);
CREATE INDEX departments_parent ON departments (tenant_id, parent_id);

CREATE TABLE access_groups (
    tenant_id TEXT NOT NULL,
    id        TEXT NOT NULL,
    name      TEXT,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE users (
    tenant_id          TEXT     NOT NULL,
    id                 TEXT     NOT NULL,
    num                BIGINT   NOT NULL,
    seq                BIGINT   NOT NULL,
    username           TEXT,
    name               TEXT,
    nickname           TEXT,
    email              TEXT,
    phone              TEXT,
    phone_country_code TEXT,
    gender             TEXT     NOT NULL,
    avatar             TEXT,
    status             TEXT     NOT NULL,
    birthdate          TEXT,
    country            TEXT,
    province           TEXT,
    city               TEXT,
    address            TEXT,
    street_address     TEXT,
    postal_code        TEXT,
    external_id        TEXT,
    email_verified     SMALLINT NOT NULL,
    phone_verified     SMALLINT NOT NULL,
    identities         TEXT,
    custom_data        TEXT,
    admin_of           TEXT,
    password_hash      TEXT,
    acs_card           INTEGER,
    face_type          TEXT,
    acs_member         SMALLINT NOT NULL,
    content_hash       TEXT     NOT NULL,
    created_at         BIGINT   NOT NULL,
    updated_at         BIGINT   NOT NULL,
    status_changed_at  BIGINT   NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
-- num is the one stable order of every list; seq the order of sync.
CREATE UNIQUE INDEX users_num ON users (tenant_id, num);
CREATE UNIQUE INDEX users_seq ON users (tenant_id, seq);
CREATE INDEX users_status_num ON users (tenant_id, status, num);
-- feishu lists only active users in an access group
CREATE INDEX users_acs_listed ON users (tenant_id, num) WHERE status = 'active' AND acs_member = 1;
CREATE INDEX users_updated ON users (tenant_id, updated_at, num);
CREATE UNIQUE INDEX users_username ON users (tenant_id, username);
CREATE UNIQUE INDEX users_email ON users (tenant_id, email);
CREATE INDEX users_phone ON users (tenant_id, phone);
CREATE INDEX users_external_id ON users (tenant_id, external_id);

CREATE TABLE user_departments (
    tenant_id TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    dept_id   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_id, dept_id)
);
CREATE INDEX user_departments_dept ON user_departments (tenant_id, dept_id, user_id);

CREATE TABLE user_groups (
    tenant_id TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    group_id  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_id, group_id)
);
CREATE INDEX user_groups_group ON user_groups (tenant_id, group_id, user_id);

CREATE TABLE user_faces (
    tenant_id TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    type      TEXT NOT NULL,
    data      ${binary} NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);

-- The change feed: one row per change to a user, deletions included (tombstones).
CREATE TABLE user_changes (
    tenant_id  TEXT     NOT NULL,
    seq        BIGINT   NOT NULL,
    user_id    TEXT     NOT NULL,
    user_num   BIGINT   NOT NULL,
    deleted    SMALLINT NOT NULL,
    changed_at BIGINT   NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);

-- Users per block of 4096 nums and status: an offset page at any depth and a total count read
-- a few hundred of these rows instead of scanning the tenant (see UserQueries.offsetPage).
CREATE TABLE user_counts (
    tenant_id TEXT   NOT NULL,
    block     BIGINT NOT NULL,
    status    TEXT   NOT NULL,
    n         BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, block, status)
);

CREATE TABLE apps (
    id             TEXT    PRIMARY KEY,
    tenant_id      TEXT    NOT NULL,
    name           TEXT,
    secret_sealed  TEXT    NOT NULL,
    secret_version INTEGER NOT NULL,
    scopes         TEXT    NOT NULL,
    vendor         TEXT,
    visible_to     TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL
);
CREATE INDEX apps_tenant ON apps (tenant_id, id);

-- Issued access tokens of every dialect. A token is its row's id plus a MAC of it under the server's key
-- (see Tokens), so the table holds nothing a reader could present, and any process of the service can
-- check a token another process issued.
CREATE TABLE tokens (
    id             TEXT    PRIMARY KEY,
    kind           TEXT    NOT NULL,
    app_id         TEXT    NOT NULL,
    tenant_id      TEXT    NOT NULL,
    subject        TEXT,
    secret_version INTEGER NOT NULL,
    issued_at      BIGINT  NOT NULL,
    expires_at     BIGINT  NOT NULL
);
CREATE INDEX tokens_app ON tokens (app_id, kind, expires_at);
