import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  afterNextRender,
  computed,
  inject,
  input,
  signal,
  viewChild,
  type OnInit,
} from '@angular/core';
import type { LogLevel, LogLine, ServerMessage } from '../../core/api/types';
import { PluginApiService } from '../../core/services/plugin-api.service';
import { WsService } from '../../core/services/ws.service';
import { LogBuffer, highlight } from './log-buffer';
import { NoticeComponent } from './notice.component';

const ROW = 20;
const WRAP_ROW = 60;
const OVERSCAN = 10;
const BACKFILL = 1000;

/**
 * A plugin's log: the last lines (backfill), then live lines from the `logs` topic from the
 * backfill's cursor on, so nothing is missed or doubled. Keeps up with floods by batching (lines
 * are applied once per animation frame) and virtual scrolling (only the rows in view exist in
 * the DOM). Level filter, search with highlight, pause, wrap, download; shows how many lines
 * the daemon dropped for this connection when it reports lag.
 */
@Component({
  selector: 'bkg-plugin-logs',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NoticeComponent],
  template: `
    <section class="card logs" aria-labelledby="logs-title">
      <div class="row wrap-row">
        <h2 id="logs-title">Logs</h2>
        <label>Level
          <select [value]="level()" (change)="setLevel($any($event.target).value)">
            @for (l of levels; track l) { <option [value]="l">{{ l }}</option> }
          </select>
        </label>
        <label>Search <input type="search" [value]="search()" (input)="setSearch($any($event.target).value)" /></label>
        <button type="button" class="btn" [attr.aria-pressed]="paused()" (click)="togglePause()">
          {{ paused() ? 'Resume' : 'Pause' }}
        </button>
        <label class="check"><input type="checkbox" [checked]="wrap()" (change)="wrap.set($any($event.target).checked)" /> Wrap</label>
        <button type="button" class="btn" (click)="download()">Download</button>
        <span class="muted" data-testid="log-count">{{ shownCount() }} lines</span>
        @if (held() > 0) { <span class="pill" data-testid="log-held">{{ held() }} new while paused</span> }
        @if (missed() > 0) { <span class="pill warn" role="status" data-testid="log-missed">{{ missed() }} events dropped (the connection lagged)</span> }
      </div>
      <bkg-notice [error]="error()" />
      <div #viewport class="log-viewport" tabindex="0" role="log" aria-live="off" [attr.aria-label]="'Log lines of ' + pluginId()"
           (scroll)="onScroll()">
        <div class="log-spacer" [style.height.px]="totalHeight()">
          @for (r of rows(); track r.line.seq) {
            <div class="log-row" [class]="'log-row lvl-' + r.line.level" [class.wrap]="wrap()"
                 [style.top.px]="r.top" [style.height.px]="rowHeight()" tabindex="0"
                 (click)="selected.set(r.line)" (keydown.enter)="selected.set(r.line)">
              <span class="ts">{{ r.line.ts.slice(11, 23) }}</span>
              <span class="lvl">{{ r.line.level }}</span>
              <span class="msg">@for (p of r.parts; track $index) {@if (p.hit) {<mark>{{ p.text }}</mark>} @else {<span>{{ p.text }}</span>}}</span>
            </div>
          }
        </div>
      </div>
      @if (selected(); as s) {
        <div class="log-detail">
          <div class="row"><strong>seq {{ s.seq }} · run {{ s.run }} · {{ s.ts }}</strong>
            <button type="button" class="btn small" (click)="selected.set(null)">Close</button></div>
          <pre>{{ s.message }}</pre>
        </div>
      }
    </section>
  `,
})
export class PluginLogsComponent implements OnInit {
  readonly pluginId = input.required<string>();
  private readonly api = inject(PluginApiService);
  private readonly ws = inject(WsService);
  private readonly destroyRef = inject(DestroyRef);
  private readonly viewport = viewChild.required<ElementRef<HTMLDivElement>>('viewport');

  protected readonly levels: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];
  protected readonly level = signal<LogLevel>('trace');
  protected readonly search = signal('');
  protected readonly paused = signal(false);
  protected readonly wrap = signal(false);
  protected readonly missed = signal(0);
  protected readonly held = signal(0);
  protected readonly error = signal<unknown>(null);
  protected readonly selected = signal<LogLine | null>(null);

  private readonly buffer = new LogBuffer();
  private pending: LogLine[] = [];
  private frame = 0;
  private readonly version = signal(0);
  private readonly scrollTop = signal(0);
  private readonly height = signal(400);
  private follow = true;

  protected readonly rowHeight = computed(() => (this.wrap() ? WRAP_ROW : ROW));
  protected readonly shownCount = computed(() => (this.version(), this.buffer.visible.length));
  protected readonly totalHeight = computed(() => this.shownCount() * this.rowHeight());
  protected readonly rows = computed(() => {
    this.version();
    const h = this.rowHeight();
    const lines = this.buffer.visible;
    const first = Math.max(0, Math.floor(this.scrollTop() / h) - OVERSCAN);
    const last = Math.min(lines.length, Math.ceil((this.scrollTop() + this.height()) / h) + OVERSCAN);
    const needle = this.search();
    const out = [];
    for (let i = first; i < last; i++) {
      out.push({ line: lines[i], top: i * h, parts: highlight(lines[i].message, needle) });
    }
    return out;
  });

  constructor() {
    afterNextRender(() => {
      const el = this.viewport().nativeElement;
      const ro = new ResizeObserver(() => this.height.set(el.clientHeight));
      ro.observe(el);
      this.destroyRef.onDestroy(() => ro.disconnect());
    });
  }

  async ngOnInit(): Promise<void> {
    const id = this.pluginId();
    const lag = this.ws.onLag((n) => this.missed.update((m) => m + n));
    this.destroyRef.onDestroy(() => {
      lag();
      cancelAnimationFrame(this.frame);
    });
    let cursor: number | undefined;
    try {
      const page = await this.api.logs(id, { tail: BACKFILL });
      this.buffer.push(page.lines);
      cursor = page.cursor;
      this.apply();
    } catch (e) {
      this.error.set(e);
    }
    const unsub = this.ws.subscribe('logs', id, (m) => this.onLine(m), { cursor });
    this.destroyRef.onDestroy(unsub);
  }

  private onLine(m: ServerMessage): void {
    if (m.type !== 'logs') return;
    this.pending.push(m);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  /** Once per frame: applies the lines that came in (unless paused) and follows the tail. */
  private flush(): void {
    this.frame = 0;
    if (this.paused()) {
      this.held.set(this.pending.length);
      return;
    }
    const lines = this.pending;
    this.pending = [];
    if (this.buffer.push(lines) > 0) this.apply();
  }

  private apply(): void {
    this.version.update((v) => v + 1);
    if (this.follow) {
      const el = this.viewport().nativeElement;
      queueMicrotask(() => {
        el.scrollTop = el.scrollHeight;
        this.scrollTop.set(el.scrollTop);
      });
    }
  }

  protected onScroll(): void {
    const el = this.viewport().nativeElement;
    this.scrollTop.set(el.scrollTop);
    // Following while at the bottom; scrolling up stops following until back at the bottom.
    this.follow = el.scrollTop + el.clientHeight >= el.scrollHeight - this.rowHeight() * 2;
  }

  protected setLevel(l: LogLevel): void {
    this.level.set(l);
    this.buffer.filter(l, this.search());
    this.apply();
  }

  protected setSearch(s: string): void {
    this.search.set(s);
    this.buffer.filter(this.level(), s);
    this.apply();
  }

  protected togglePause(): void {
    this.paused.update((p) => !p);
    if (!this.paused()) {
      this.held.set(0);
      this.follow = true;
      this.flush();
    }
  }

  protected download(): void {
    const url = URL.createObjectURL(new Blob([this.buffer.text()], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${this.pluginId()}.log`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}
