-- Usage analytics (issue 11): hourly rollups of what the daemon did. Keep in step with
-- migrations/sqlite/0005_usage.sql. One row per hour and series; `count` grows by upsert.
-- Columns that do not apply to a metric hold '' (not NULL) so they can be part of the key.
CREATE TABLE usage_hourly (
    -- Start of the hour, Unix milliseconds (UTC).
    hour       BIGINT NOT NULL,
    -- invocations, tokens, embeddings, model_downloads, logins
    metric     TEXT NOT NULL,
    plugin     TEXT NOT NULL DEFAULT '',
    capability TEXT NOT NULL DEFAULT '',
    -- success, failure, or ''
    outcome    TEXT NOT NULL DEFAULT '',
    -- Latency bucket of invocations (lt10ms ... ge10s), or ''
    latency    TEXT NOT NULL DEFAULT '',
    count      BIGINT NOT NULL,
    PRIMARY KEY (hour, metric, plugin, capability, outcome, latency)
);
CREATE INDEX usage_hourly_plugin ON usage_hourly (plugin, hour);
