import type { UsagePoint } from '../../core/api/types';

/** Totals of one plugin over a report. */
export interface PluginUsage {
  plugin: string;
  invocations: number;
  failures: number;
  tokens: number;
  embeddings: number;
  slow: number;
}

/** Sums a report's points per plugin (invocations, failures, tokens, embeddings, calls >= 1 s). */
export function perPlugin(points: readonly UsagePoint[]): PluginUsage[] {
  const by = new Map<string, PluginUsage>();
  for (const p of points) {
    if (!p.plugin) continue;
    const u = by.get(p.plugin) ?? { plugin: p.plugin, invocations: 0, failures: 0, tokens: 0, embeddings: 0, slow: 0 };
    if (p.metric === 'invocations') {
      u.invocations += p.count;
      if (p.outcome === 'failure') u.failures += p.count;
      if (p.latency === 'lt10s' || p.latency === 'ge10s') u.slow += p.count;
    } else if (p.metric === 'tokens') u.tokens += p.count;
    else if (p.metric === 'embeddings') u.embeddings += p.count;
    by.set(p.plugin, u);
  }
  return [...by.values()].sort((a, b) => b.invocations - a.invocations || a.plugin.localeCompare(b.plugin));
}

/** Counts of a daemon-wide metric (logins, model downloads) by outcome. */
export function byOutcome(points: readonly UsagePoint[], metric: UsagePoint['metric']): { success: number; failure: number } {
  const out = { success: 0, failure: 0 };
  for (const p of points) {
    if (p.metric !== metric) continue;
    if (p.outcome === 'failure') out.failure += p.count;
    else out.success += p.count;
  }
  return out;
}

/** Invocations per bucket (x in seconds), for a chart: [xs, totals, failures]. */
export function invocationSeries(points: readonly UsagePoint[], since: number, until: number, stepSec: number): [number[], number[], number[]] {
  const start = Math.floor(since / stepSec) * stepSec;
  const n = Math.max(1, Math.ceil((until - start) / stepSec));
  const xs = Array.from({ length: n }, (_, i) => start + i * stepSec);
  const total = new Array<number>(n).fill(0);
  const failed = new Array<number>(n).fill(0);
  for (const p of points) {
    if (p.metric !== 'invocations') continue;
    const i = Math.floor((Date.parse(p.ts) / 1000 - start) / stepSec);
    if (i < 0 || i >= n) continue;
    total[i] += p.count;
    if (p.outcome === 'failure') failed[i] += p.count;
  }
  return [xs, total, failed];
}
