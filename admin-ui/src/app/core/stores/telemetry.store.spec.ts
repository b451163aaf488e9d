import { TestBed } from '@angular/core/testing';
import type { ServerMessage, TelemetrySample } from '../api/types';
import { PluginApiService } from '../services/plugin-api.service';
import { WsService } from '../services/ws.service';
import { KEEP, TelemetryStore } from './telemetry.store';

const sample = (id: string, sec: number, cpu = sec): TelemetrySample => ({
  id,
  ts: new Date(sec * 1000).toISOString(),
  cpu,
  mem: 1000 + sec,
  processes: 1,
  uptime: sec,
  restarts: 0,
  throughput: { invocationsPerSec: 0, invocationsTotal: 0, errorsTotal: 0, inFlight: 0, latencyMs: { p50: 0, p90: 0, p99: 0, max: 0 }, counters: {} },
});

describe('TelemetryStore', () => {
  let handler: (m: ServerMessage) => void = () => undefined;
  let resolveHistory: (s: TelemetrySample[]) => void = () => undefined;
  let store: TelemetryStore;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        { provide: PluginApiService, useValue: { telemetry: () => new Promise((r) => (resolveHistory = r)) } },
        { provide: WsService, useValue: { subscribe: (_t: string, _p: unknown, h: (m: ServerMessage) => void) => ((handler = h), () => undefined) } },
      ],
    });
    store = TestBed.inject(TelemetryStore);
  });

  it('backfills the history and keeps live samples that arrived meanwhile', async () => {
    const done = store.watch('p');
    handler({ type: 'telemetry', ...sample('p', 5) });
    handler({ type: 'telemetry', ...sample('other', 5) });
    resolveHistory([sample('p', 3), sample('p', 4), sample('p', 5)]);
    await done;
    handler({ type: 'telemetry', ...sample('p', 6) });
    expect(store.samples('p')().map((s) => s.uptime)).toEqual([3, 4, 5, 6]);
    expect(store.latest('p')?.cpu).toBe(6);
    expect(store.samples('other')().length).toBe(1);
  });

  it('keeps a bounded history', async () => {
    void store.watch();
    for (let i = 0; i < KEEP + 20; i++) handler({ type: 'telemetry', ...sample('p', i) });
    const s = store.samples('p')();
    expect(s.length).toBe(KEEP);
    expect(s[0].uptime).toBe(20);
  });
});
