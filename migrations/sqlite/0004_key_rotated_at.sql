-- bkg schema v4 (sqlite): when a key's secret last changed, so automation can rotate keys by the
-- age of their secret. Keep in step with migrations/postgres/0004_key_rotated_at.sql.
ALTER TABLE api_keys ADD COLUMN rotated_at BIGINT;
