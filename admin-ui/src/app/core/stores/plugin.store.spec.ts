import { TestBed } from '@angular/core/testing';
import type { PluginSummary, ServerMessage } from '../api/types';
import { PluginApiService } from '../services/plugin-api.service';
import { WsService } from '../services/ws.service';
import { PluginStore } from './plugin.store';

const summary = (id: string, status: PluginSummary['status'] = 'stopped'): PluginSummary => ({
  id,
  name: id,
  description: '',
  version: '1',
  source: 'user',
  status,
  restarts: 0,
  uptime: 0,
});

describe('PluginStore', () => {
  let handler: ((m: ServerMessage) => void) | null = null;
  let store: PluginStore;
  const api = {
    list: vi.fn(() => Promise.resolve([summary('b'), summary('a', 'running')])),
    lifecycle: vi.fn(() => Promise.resolve({ status: { id: 'b', status: 'running', restarts: 0, uptime: 1, pid: 42 } })),
  };

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        { provide: PluginApiService, useValue: api },
        { provide: WsService, useValue: { subscribe: (_t: string, _p: unknown, h: (m: ServerMessage) => void) => ((handler = h), () => undefined) } },
      ],
    });
    store = TestBed.inject(PluginStore);
  });

  it('loads the list sorted and follows status events without reloading', async () => {
    await store.load();
    expect(store.plugins().map((p) => p.id)).toEqual(['a', 'b']);
    expect(store.running()).toBe(1);
    const b = store.plugin('b');
    handler?.({ type: 'status', id: 'b', status: 'starting', restarts: 0, uptime: 0 } as ServerMessage);
    expect(b()?.status).toBe('starting');
    handler?.({ type: 'status', id: 'zzz', status: 'running', restarts: 0, uptime: 0 } as ServerMessage);
    expect(store.plugins().length).toBe(2);
  });

  it('applies the answer of a lifecycle call at once', async () => {
    await store.load();
    await store.lifecycle('b', 'start');
    expect(api.lifecycle).toHaveBeenCalledWith('b', 'start');
    expect(store.plugin('b')()?.pid).toBe(42);
    expect(store.running()).toBe(2);
  });
});
