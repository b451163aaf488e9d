import { TestBed } from '@angular/core/testing';
import { FakeWebSocket } from '../../testing/fake-websocket';
import { AuthStore } from '../auth/auth.store';
import { WsService, backoffMs } from './ws.service';

describe('WsService', () => {
  let ws: WsService;

  beforeEach(() => {
    FakeWebSocket.all = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
    TestBed.configureTestingModule({
      providers: [{ provide: AuthStore, useValue: { freshToken: () => Promise.resolve('tok') } }],
    });
    ws = TestBed.inject(WsService);
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const settle = () => new Promise((r) => setTimeout(r));

  it('authenticates with the token subprotocol and subscribes once open', async () => {
    const got: unknown[] = [];
    ws.subscribe('status', undefined, (m) => got.push(m));
    await settle();
    const sock = FakeWebSocket.last();
    expect(sock.url).toMatch(/\/ws\/plugins$/);
    expect(sock.protocols).toEqual(['bkg.v1', 'bkg.bearer.tok']);
    sock.open();
    expect(ws.state()).toBe('open');
    expect(sock.sent).toEqual([{ action: 'SUB', topic: 'status' }]);
    sock.receive({ type: 'status', id: 'p', status: 'running' });
    sock.receive({ type: 'telemetry', id: 'p' });
    expect(got).toEqual([{ type: 'status', id: 'p', status: 'running' }]);
  });

  it('reconnects with backoff and resumes logs after the last seq seen', async () => {
    const lines: number[] = [];
    ws.subscribe('logs', 'p', (m) => m.type === 'logs' && lines.push(m.seq), { cursor: 10 });
    await settle();
    const first = FakeWebSocket.last();
    first.open();
    expect(first.sent).toEqual([{ action: 'SUB', topic: 'logs', pluginId: 'p', cursor: 10 }]);
    first.receive({ type: 'logs', id: 'p', seq: 11, level: 'info', message: 'a', run: 1, ts: '' });
    first.receive({ type: 'logs', id: 'p', seq: 12, level: 'info', message: 'b', run: 1, ts: '' });

    vi.useFakeTimers();
    first.drop();
    expect(ws.state()).toBe('closed');
    await vi.advanceTimersByTimeAsync(1000);
    vi.useRealTimers();
    await settle();
    const second = FakeWebSocket.last();
    expect(second).not.toBe(first);
    second.open();
    expect(ws.reconnects()).toBe(1);
    expect(second.sent).toEqual([{ action: 'SUB', topic: 'logs', pluginId: 'p', cursor: 12 }]);
    // A replayed line is not delivered twice.
    second.receive({ type: 'logs', id: 'p', seq: 12, level: 'info', message: 'b', run: 1, ts: '' });
    second.receive({ type: 'logs', id: 'p', seq: 13, level: 'info', message: 'c', run: 1, ts: '' });
    expect(lines).toEqual([11, 12, 13]);
  });

  it('unsubscribes when the last handler goes and reports lag', async () => {
    let missed = 0;
    ws.onLag((n) => (missed += n));
    const off = ws.subscribe('telemetry', undefined, () => undefined);
    await settle();
    const sock = FakeWebSocket.last();
    sock.open();
    sock.receive({ type: 'lagged', missed: 7, lastMissedSeq: null });
    expect(missed).toBe(7);
    off();
    expect(sock.sent).toContainEqual({ action: 'UNSUB', topic: 'telemetry' });
  });

  it('backs off from half a second to ten seconds', () => {
    expect(backoffMs(0, () => 0.5)).toBe(500);
    expect(backoffMs(3, () => 0.5)).toBe(4000);
    expect(backoffMs(20, () => 0.5)).toBe(10_000);
    expect(backoffMs(0, () => 0)).toBe(375);
  });
});
