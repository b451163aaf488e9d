// Nodes and plugins as `GET /api/nodes` answers them, for the nodes page's tests.
import type { NodeInfo, PluginSummary } from '../core/api/types';

export const plugin = (id: string, status: PluginSummary['status'], node: string): PluginSummary => ({
  id,
  name: `Test ${id}`,
  description: '',
  version: '0.2.0',
  source: 'builtin',
  status,
  pid: status === 'running' ? 4242 : null,
  uptime: 0,
  restarts: 0,
  node,
});

export const node = (name: string, extra: Partial<NodeInfo> = {}): NodeInfo => ({
  id: `id-${name}`,
  name,
  url: `http://${name}.lan:8420`,
  version: '0.2.0',
  commit: '7b78765',
  state: 'up',
  current: false,
  startedAt: '2026-12-06T07:00:00Z',
  lastSeen: '2026-12-06T08:00:00Z',
  plugins: [],
  ...extra,
});
