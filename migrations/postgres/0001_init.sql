-- bkg schema v1 (PostgreSQL). Keep in step with migrations/sqlite/0001_init.sql: same tables,
-- same columns, same versions. Times are Unix milliseconds (BIGINT) on both backends; JSON is
-- stored as TEXT; vectors as little-endian f32 bytes.

CREATE TABLE users (
    id                 TEXT PRIMARY KEY,
    username           TEXT NOT NULL UNIQUE,
    password_hash      TEXT NOT NULL,
    role               TEXT NOT NULL CHECK (role IN ('admin', 'developer', 'readonly')),
    disabled           BOOLEAN NOT NULL DEFAULT FALSE,
    -- Access tokens issued before this instant are rejected (logout-all, password/role change).
    tokens_valid_after BIGINT NOT NULL DEFAULT 0,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    -- The public, non-secret part of the key, shown in listings and used for lookup.
    prefix       TEXT NOT NULL UNIQUE,
    secret_hash  TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'developer', 'readonly')),
    scopes       TEXT NOT NULL DEFAULT '[]',
    enabled      BOOLEAN NOT NULL DEFAULT TRUE,
    expires_at   BIGINT,
    last_used_at BIGINT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE models (
    id                TEXT PRIMARY KEY,
    repo              TEXT NOT NULL,
    revision          TEXT NOT NULL,
    commit_sha        TEXT,
    files             TEXT NOT NULL DEFAULT '[]',
    total_bytes       BIGINT NOT NULL DEFAULT 0,
    done_bytes        BIGINT NOT NULL DEFAULT 0,
    status            TEXT NOT NULL
                      CHECK (status IN ('queued', 'downloading', 'verifying', 'ready', 'invalid', 'failed')),
    error             TEXT,
    last_validated_at BIGINT,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    UNIQUE (repo, revision)
);

CREATE TABLE documents (
    collection TEXT NOT NULL,
    id         TEXT NOT NULL,
    text       TEXT NOT NULL,
    metadata   TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (collection, id)
);

CREATE TABLE embeddings (
    collection  TEXT NOT NULL,
    document_id TEXT NOT NULL,
    model       TEXT NOT NULL,
    dim         INTEGER NOT NULL,
    vector      BYTEA NOT NULL,
    PRIMARY KEY (collection, document_id),
    FOREIGN KEY (collection, document_id) REFERENCES documents (collection, id) ON DELETE CASCADE
);

CREATE TABLE analytics_events (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ts      BIGINT NOT NULL,
    -- 'audit' for security events, 'usage' for analytics.
    kind    TEXT NOT NULL,
    action  TEXT NOT NULL,
    actor   TEXT,
    target  TEXT,
    outcome TEXT NOT NULL DEFAULT 'success',
    ip      TEXT,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX analytics_events_ts ON analytics_events (ts);
CREATE INDEX analytics_events_action ON analytics_events (action, ts);
CREATE INDEX analytics_events_actor ON analytics_events (actor, ts);

-- What the operator asked each plugin to be, and its config; survives daemon restarts.
CREATE TABLE plugin_state (
    plugin_id  TEXT PRIMARY KEY,
    desired    TEXT NOT NULL CHECK (desired IN ('running', 'stopped')),
    config     TEXT,
    updated_at BIGINT NOT NULL
);
