import { provideHttpClient } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import type { InvokeEvent } from '../api/types';
import { AuthStore } from '../auth/auth.store';
import { PluginApiService } from './plugin-api.service';

/** A fetch answer whose body arrives in the given pieces (split mid-line on purpose). */
function streamed(pieces: string[], status = 200): Response {
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const p of pieces) c.enqueue(new TextEncoder().encode(p));
      c.close();
    },
  });
  return new Response(body, { status, headers: { 'content-type': 'application/x-ndjson' } });
}

describe('PluginApiService.stream', () => {
  let api: PluginApiService;
  let fetchMock: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), { provide: AuthStore, useValue: { freshToken: () => Promise.resolve('tok') } }],
    });
    api = TestBed.inject(PluginApiService);
  });

  afterEach(() => vi.unstubAllGlobals());

  it('asks for NDJSON with the token and hands out each event as its line completes', async () => {
    fetchMock.mockResolvedValue(
      streamed(['{"chunk":{"delta":"Hel"}}\n{"chunk":{"de', 'lta":"lo"}}\n', '{"result":{"completionTokens":2}}\n']),
    );
    const events: InvokeEvent[] = [];
    await api.stream('llm server', 'chat', { messages: [] }, (e) => events.push(e));
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/api/plugins/llm%20server/invoke/chat');
    expect(init.headers).toMatchObject({ accept: 'application/x-ndjson', authorization: 'Bearer tok' });
    expect(events).toEqual([
      { chunk: { delta: 'Hel' } },
      { chunk: { delta: 'lo' } },
      { result: { completionTokens: 2 } },
    ]);
  });

  it('turns an error answer into one error event', async () => {
    fetchMock.mockResolvedValue(
      new Response(JSON.stringify({ code: 'plugin_not_running', message: 'start it first' }), { status: 409 }),
    );
    const events: InvokeEvent[] = [];
    await api.stream('p', 'chat', {}, (e) => events.push(e));
    expect(events).toEqual([{ error: { code: 'plugin_not_running', message: 'start it first' } }]);
  });
});
