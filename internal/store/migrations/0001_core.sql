-- Platform core: organisations, users and their keys, memberships, sessions,
-- API tokens, and the hash-chained audit log. Times are Unix microseconds
-- (UTC) in BIGINT columns; ids are 26-character random strings; hashes and
-- blind indexes are lower-case hex text. Personal data lives only in *_enc
-- columns, sealed under the row's data key.

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    country     TEXT NOT NULL DEFAULT '',
    is_demo     INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX organisations_name_key ON organisations (name);

-- A data key per protected record, wrapped by the key-encryption key of the
-- version given. Erasure deletes the row; rotation rewrites wrapped.
CREATE TABLE data_keys (
    id           TEXT PRIMARY KEY,
    purpose      TEXT NOT NULL,
    kek_version  INTEGER NOT NULL,
    wrapped      BLOB NOT NULL,
    created_at   BIGINT NOT NULL
);

CREATE TABLE users (
    id                    TEXT PRIMARY KEY,
    data_key_id           TEXT REFERENCES data_keys (id) ON DELETE SET NULL,
    email_index           TEXT NOT NULL,
    email_enc             BLOB NOT NULL,
    name_enc              BLOB NOT NULL,
    password_hash         TEXT NOT NULL,
    must_change_password  INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    is_sysadmin           INTEGER NOT NULL DEFAULT 0 CHECK (is_sysadmin IN (0, 1)),
    is_demo               INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    totp_secret_enc       BLOB,
    totp_enabled_at       BIGINT,
    totp_last_step        BIGINT NOT NULL DEFAULT 0,
    disabled_at           BIGINT,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email_index_key ON users (email_index);

CREATE TABLE recovery_codes (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used_at    BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE teams (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX teams_org_name_key ON teams (org_id, name);

CREATE TABLE memberships (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('org_admin', 'supervisor', 'caseworker', 'analyst', 'viewer')),
    team_id     TEXT REFERENCES teams (id) ON DELETE SET NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX memberships_org_user_key ON memberships (org_id, user_id);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    token_hash    TEXT NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    org_id        TEXT REFERENCES organisations (id) ON DELETE CASCADE,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    mfa_at        BIGINT,
    revoked_at    BIGINT
);
CREATE UNIQUE INDEX sessions_token_hash_key ON sessions (token_hash);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id            TEXT PRIMARY KEY,
    token_hash    TEXT NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    org_id        TEXT REFERENCES organisations (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    scopes        TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    last_used_at  BIGINT,
    revoked_at    BIGINT
);
CREATE UNIQUE INDEX api_tokens_token_hash_key ON api_tokens (token_hash);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- The audit chain's head: one row, updated in the same transaction as each
-- append, which serialises appends on both engines (a row lock on
-- PostgreSQL, the write lock on SQLite) and keeps the chain linear.
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq          BIGINT PRIMARY KEY,
    at           BIGINT NOT NULL,
    actor_id     TEXT NOT NULL DEFAULT '',
    org_id       TEXT NOT NULL DEFAULT '',
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL DEFAULT '',
    object_id    TEXT NOT NULL DEFAULT '',
    fields       TEXT NOT NULL DEFAULT '',
    outcome      TEXT NOT NULL DEFAULT 'ok',
    request_id   TEXT NOT NULL DEFAULT '',
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_log_org_seq ON audit_log (org_id, seq);
CREATE INDEX audit_log_actor_seq ON audit_log (actor_id, seq);
