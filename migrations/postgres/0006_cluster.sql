-- Several bkgd on one database (issue 16). Keep in step with the other tree's 0006_cluster.sql.
-- Every node that has run against this database, with its last heartbeat and a snapshot of its
-- plugins (JSON), so any node can list the whole cluster.
CREATE TABLE nodes (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    url          TEXT NOT NULL,
    version      TEXT NOT NULL,
    git_commit   TEXT NOT NULL,
    started_at   BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL,
    -- Set by a clean shutdown; NULL while the node runs (or when it died).
    stopped_at   BIGINT,
    plugins      TEXT NOT NULL DEFAULT '[]'
);
-- Secrets every node must share, e.g. the generated JWT signing secret.
CREATE TABLE secrets (
    name       TEXT PRIMARY KEY,
    value      BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
-- Plugins run per node: their desired state and config are the node's. Rows from before this
-- migration belong to node '' (a single daemon), which the first node to register adopts.
CREATE TABLE plugin_state_by_node (
    node_id    TEXT NOT NULL DEFAULT '',
    plugin_id  TEXT NOT NULL,
    desired    TEXT NOT NULL CHECK (desired IN ('running', 'stopped')),
    config     TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (node_id, plugin_id)
);
INSERT INTO plugin_state_by_node (node_id, plugin_id, desired, config, updated_at)
    SELECT '', plugin_id, desired, config, updated_at FROM plugin_state;
DROP TABLE plugin_state;
ALTER TABLE plugin_state_by_node RENAME TO plugin_state;
