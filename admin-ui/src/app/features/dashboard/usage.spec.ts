import type { UsagePoint } from '../../core/api/types';
import { byOutcome, invocationSeries, perPlugin } from './usage';

const p = (ts: string, metric: UsagePoint['metric'], count: number, extra: Partial<UsagePoint> = {}): UsagePoint => ({
  ts,
  metric,
  count,
  plugin: null,
  capability: null,
  outcome: null,
  latency: null,
  ...extra,
});

const points: UsagePoint[] = [
  p('2026-01-01T10:00:00Z', 'invocations', 3, { plugin: 'llm', capability: 'chat', outcome: 'success', latency: 'lt10s' }),
  p('2026-01-01T10:00:00Z', 'invocations', 1, { plugin: 'llm', capability: 'chat', outcome: 'failure', latency: 'lt10ms' }),
  p('2026-01-01T11:00:00Z', 'tokens', 40, { plugin: 'llm', capability: 'chat' }),
  p('2026-01-01T11:00:00Z', 'invocations', 2, { plugin: 'brain', capability: 'query', outcome: 'success', latency: 'lt100ms' }),
  p('2026-01-01T11:00:00Z', 'logins', 5, { outcome: 'success' }),
  p('2026-01-01T11:00:00Z', 'logins', 2, { outcome: 'failure' }),
];

describe('usage rollups', () => {
  it('sums per plugin', () => {
    expect(perPlugin(points)).toEqual([
      { plugin: 'llm', invocations: 4, failures: 1, tokens: 40, embeddings: 0, slow: 3 },
      { plugin: 'brain', invocations: 2, failures: 0, tokens: 0, embeddings: 0, slow: 0 },
    ]);
  });

  it('counts daemon-wide metrics by outcome', () => {
    expect(byOutcome(points, 'logins')).toEqual({ success: 5, failure: 2 });
    expect(byOutcome(points, 'model_downloads')).toEqual({ success: 0, failure: 0 });
  });

  it('buckets invocations for the chart', () => {
    const since = Date.parse('2026-01-01T09:00:00Z') / 1000;
    const [xs, total, failed] = invocationSeries(points, since, since + 3 * 3600, 3600);
    expect(xs.length).toBe(3);
    expect(total).toEqual([0, 4, 2]);
    expect(failed).toEqual([0, 1, 0]);
  });
});
