import { TestBed } from '@angular/core/testing';
import type { Model, ServerMessage } from '../api/types';
import { ModelsApiService } from '../services/models-api.service';
import { WsService } from '../services/ws.service';
import { ModelsStore } from './models.store';

const model = (id: string, status: Model['status'], done = 0): Model => ({
  id,
  repo: `org/${id}`,
  revision: 'main',
  source: 'hub',
  status,
  files: [],
  problems: [],
  usedBy: [],
  totalBytes: 100,
  progress: { bytesDone: done, bytesTotal: 100, rate: 0 },
  createdAt: '',
  updatedAt: '',
});

describe('ModelsStore', () => {
  let handler: (m: ServerMessage) => void = () => undefined;
  const list = vi.fn(() => Promise.resolve([model('b', 'ready', 100), model('a', 'downloading', 10)]));

  beforeEach(() => {
    list.mockClear();
    TestBed.configureTestingModule({
      providers: [
        { provide: ModelsApiService, useValue: { list } },
        { provide: WsService, useValue: { subscribe: (_t: string, _p: unknown, h: (m: ServerMessage) => void) => ((handler = h), () => undefined) } },
      ],
    });
  });

  it('follows download progress live and reloads a model once it ends', async () => {
    const store = TestBed.inject(ModelsStore);
    await store.load();
    expect(store.models().map((m) => m.id)).toEqual(['a', 'b']);
    expect(store.active().map((m) => m.id)).toEqual(['a']);
    handler({ type: 'model', id: 'a', repo: 'org/a', status: 'downloading', progress: { bytesDone: 60, bytesTotal: 100, rate: 5 } });
    expect(store.models()[0].progress.bytesDone).toBe(60);
    expect(list).toHaveBeenCalledTimes(1);
    handler({ type: 'model', id: 'a', repo: 'org/a', status: 'ready', progress: { bytesDone: 100, bytesTotal: 100, rate: 0 } });
    expect(store.active()).toEqual([]);
    expect(list).toHaveBeenCalledTimes(2);
  });

  it('keeps progress that arrived while an older list was on its way', async () => {
    let answer: (m: Model[]) => void = () => undefined;
    list.mockImplementationOnce(() => new Promise((r) => (answer = r)));
    const store = TestBed.inject(ModelsStore);
    const loading = store.load();
    handler({ type: 'model', id: 'a', repo: 'org/a', status: 'downloading', progress: { bytesDone: 50, bytesTotal: 100, rate: 5 } });
    answer([model('a', 'queued', 0)]);
    await loading;
    expect(store.models()[0].status).toBe('downloading');
    expect(store.models()[0].progress.bytesDone).toBe(50);
  });
});
