/** What the nodes page derives from `GET /api/nodes`, kept apart from the view to be tested alone. */
import type { NodeInfo } from '../../core/api/types';

/** How many of the node's plugins are running. */
export function runningCount(n: NodeInfo): number {
  return n.plugins.filter((p) => p.status === 'running').length;
}

/**
 * How long before the answer a node was last seen: `now`, `4 s ago`, `2 min ago`, `3 h ago`,
 * `2 d ago`. Measured on the answering node's clock (its `lastSeen` is its now), so the
 * browser's clock does not matter; without an answering node in the list, null.
 */
export function seenAgo(n: NodeInfo, nodes: readonly NodeInfo[]): string | null {
  if (n.current) return 'now';
  const now = nodes.find((x) => x.current);
  if (!now) return null;
  const s = Math.floor((Date.parse(now.lastSeen) - Date.parse(n.lastSeen)) / 1000);
  if (!Number.isFinite(s)) return null;
  if (s <= 0) return 'now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/**
 * A plugin's page on another node's own web UI: plugins are acted on through the node that runs
 * them, and nodes do not proxy to each other.
 */
export function remotePluginUrl(n: NodeInfo, id: string): string {
  return `${n.url.replace(/\/+$/, '')}/plugins/${encodeURIComponent(id)}`;
}
