-- bkg schema v2 (PostgreSQL): login sessions, refresh tokens, API key rotation. Keep in step with
-- migrations/sqlite/0002_auth.sql.

-- Revocation is by session (logout, password or role change, disabled user), not by time.
ALTER TABLE users DROP COLUMN tokens_valid_after;

-- One row per login; refresh tokens of one login form its family.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    ip         TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Opaque refresh tokens, stored as SHA-256; `used_at` marks a rotated one (reuse revokes the
-- session).
CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    issued_at  BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- After a rotation with a grace period the previous secret keeps working until then.
ALTER TABLE api_keys ADD COLUMN previous_prefix TEXT;
ALTER TABLE api_keys ADD COLUMN previous_hash TEXT;
ALTER TABLE api_keys ADD COLUMN previous_valid_until BIGINT;
CREATE UNIQUE INDEX api_keys_previous_prefix ON api_keys (previous_prefix);
