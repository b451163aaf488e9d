import { HttpErrorResponse } from '@angular/common/http';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { NodeInfo } from '../../core/api/types';
import { NodesApiService } from '../../core/services/nodes-api.service';
import { NodesComponent, POLL_MS } from './nodes.component';
import { node, plugin } from '../../testing/nodes';

const cluster = (): NodeInfo[] => [
  node('box', { current: true, plugins: [plugin('llmserver', 'running', 'box'), plugin('candle', 'stopped', 'box')] }),
  node('edge-2', { state: 'down', lastSeen: '2026-12-06T07:57:45Z', plugins: [plugin('brainml', 'running', 'edge-2')] }),
];

describe('NodesComponent', () => {
  const list = vi.fn<() => Promise<NodeInfo[]>>();
  let fixture: ComponentFixture<NodesComponent>;

  /** Opens the page (its first request goes out at once). */
  function open(): void {
    fixture = TestBed.createComponent(NodesComponent);
  }

  /** Lets the pending answers arrive and redraws. */
  async function settle(ms = 0): Promise<HTMLElement> {
    await vi.advanceTimersByTimeAsync(ms);
    fixture.detectChanges();
    return fixture.nativeElement as HTMLElement;
  }

  beforeEach(() => {
    vi.useFakeTimers();
    list.mockReset();
    list.mockImplementation(() => Promise.resolve(cluster()));
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideRouter([]), { provide: NodesApiService, useValue: { list } }],
    });
  });

  afterEach(() => vi.useRealTimers());

  it('shows every node with its state and plugins, this server marked, another node’s URL to act through', async () => {
    open();
    const el = await settle();
    const sections = [...el.querySelectorAll<HTMLElement>('section[data-node]')];
    expect(sections.map((s) => s.dataset['node'])).toEqual(['box', 'edge-2']);
    const [box, edge] = sections;

    expect(box.querySelector('h2 [data-status]')?.getAttribute('data-status')).toBe('up');
    expect(box.querySelector('[data-testid="current"]')?.textContent).toContain('this server');
    expect(box.querySelector('[data-testid="elsewhere"]')).toBeNull();
    expect(box.querySelector('[data-testid="last-seen"]')?.textContent?.trim()).toBe('now');
    expect(box.textContent).toContain('1 of 2');
    expect(box.textContent).toContain('0.2.0 (commit 7b78765)');
    expect(box.querySelector<HTMLAnchorElement>('dd a')?.getAttribute('href')).toBe('http://box.lan:8420');
    expect(box.querySelector<HTMLAnchorElement>('tr[data-plugin="llmserver"] a')?.getAttribute('href')).toBe('/plugins/llmserver');
    expect(box.querySelector('tr[data-plugin="candle"] [data-status]')?.getAttribute('data-status')).toBe('stopped');

    expect(edge.querySelector('h2 [data-status]')?.getAttribute('data-status')).toBe('down');
    expect(edge.querySelector('[data-testid="current"]')).toBeNull();
    expect(edge.querySelector('[data-testid="elsewhere"]')?.textContent).toContain('http://edge-2.lan:8420');
    expect(edge.querySelector('[data-testid="last-seen"]')?.textContent?.trim()).toBe('2 min ago');
    expect(edge.querySelector<HTMLAnchorElement>('tr[data-plugin="brainml"] a')?.getAttribute('href')).toBe(
      'http://edge-2.lan:8420/plugins/brainml',
    );
  });

  it('asks again every 2 s while shown and stops once left', async () => {
    open();
    await settle();
    expect(list).toHaveBeenCalledTimes(1);
    list.mockImplementation(() => Promise.resolve(cluster().slice(0, 1)));
    const el = await settle(POLL_MS);
    expect(list).toHaveBeenCalledTimes(2);
    expect(el.querySelectorAll('section[data-node]').length).toBe(1);
    await settle(POLL_MS);
    expect(list).toHaveBeenCalledTimes(3);
    fixture.destroy();
    await vi.advanceTimersByTimeAsync(5 * POLL_MS);
    expect(list).toHaveBeenCalledTimes(3);
  });

  it('does not stack requests behind a slow answer', async () => {
    let answer: (n: NodeInfo[]) => void = () => undefined;
    list.mockImplementationOnce(() => new Promise((r) => (answer = r)));
    open();
    await settle(3 * POLL_MS);
    expect(list).toHaveBeenCalledTimes(1);
    answer(cluster());
    const el = await settle(POLL_MS);
    expect(list).toHaveBeenCalledTimes(2);
    expect(el.querySelectorAll('section[data-node]').length).toBe(2);
  });

  it('shows a failed poll’s error until one succeeds', async () => {
    list.mockImplementationOnce(() =>
      Promise.reject(new HttpErrorResponse({ status: 503, error: { code: 'unavailable', message: 'store unreachable' } })),
    );
    open();
    let el = await settle();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('store unreachable');
    el = await settle(POLL_MS);
    expect(el.querySelector('[role="alert"]')).toBeNull();
    expect(el.querySelectorAll('section[data-node]').length).toBe(2);
  });
});
