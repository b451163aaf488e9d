import { ChangeDetectionStrategy, Component, computed, inject, input, signal, type OnInit } from '@angular/core';
import type { Model, PluginSummary } from '../../../../core/api/types';
import { AuthStore } from '../../../../core/auth/auth.store';
import { ModelsApiService } from '../../../../core/services/models-api.service';
import { PluginApiService } from '../../../../core/services/plugin-api.service';
import { NoticeComponent } from '../../../../shared/components/notice.component';
import { formatBytes } from '../../../../shared/format';
import { attempt } from '../../../../shared/attempt';

interface Loaded {
  name: string;
  model: string;
  repo: string;
  kind: string;
  bytes: number;
  calls: number;
  idleSeconds: number;
}
interface Stats {
  loaded: Loaded[];
  memoryBytes: number;
  budgetBytes: number;
  calls: number;
  errors: number;
  latencyMs: { p50: number; p90: number; p99: number };
}

const OPS = ['matmul', 'add', 'mul', 'softmax', 'transpose', 'sum', 'mean', 'max', 'min'];

/** candle: loaded models within the memory budget, load and unload, inference, tensor ops. */
@Component({
  selector: 'bkg-candle-dashboard',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NoticeComponent],
  template: `
    @if (plugin().status !== 'running') { <p class="muted">Start the plugin to load models.</p> }
    <div class="grid two">
      <section class="card" aria-labelledby="loaded-title">
        <h2 id="loaded-title">Loaded models</h2>
        @if (canInvoke) {
          <button type="button" class="btn small" (click)="refresh()" [disabled]="plugin().status !== 'running'">Refresh</button>
        } @else {
          <p class="muted">Your role may not invoke this plugin's capabilities, so its state is not shown.</p>
        }
        @if (stats(); as s) {
          <p><label for="budget">Memory: {{ bytes(s.memoryBytes) }} of {{ bytes(s.budgetBytes) }}</label>
            <progress id="budget" [value]="s.memoryBytes" [max]="s.budgetBytes || 1"></progress></p>
          <table class="table" data-testid="loaded">
            <thead><tr><th scope="col">Name</th><th scope="col">Model</th><th scope="col">Kind</th><th scope="col">Memory</th><th scope="col">Calls</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>
              @for (m of s.loaded; track m.name) {
                <tr><td>{{ m.name }}</td><td>{{ m.repo }}</td><td>{{ m.kind }}</td><td>{{ bytes(m.bytes) }}</td><td>{{ m.calls }}</td>
                  <td>@if (canInvoke) { <button type="button" class="btn small" (click)="unload(m.name)" [attr.aria-label]="'Unload ' + m.name">Unload</button> }</td></tr>
              } @empty { <tr><td colspan="6" class="muted">No model loaded.</td></tr> }
            </tbody>
          </table>
          <p class="muted">{{ s.calls }} calls, {{ s.errors }} failed; latency p50 {{ s.latencyMs.p50.toFixed(1) }} ms, p99 {{ s.latencyMs.p99.toFixed(1) }} ms</p>
        }
        @if (canInvoke) {
          <form class="form" (submit)="$event.preventDefault(); load()">
            <div class="field"><label for="cd-model">Model (ready in the registry)</label>
              <select id="cd-model" [value]="model()" (change)="model.set($any($event.target).value)">
                <option value="">Choose…</option>
                @for (m of ready(); track m.id) { <option [value]="m.repo">{{ m.repo }}</option> }
              </select></div>
            <div class="field"><label for="cd-name">Load as</label>
              <input id="cd-name" [value]="name()" (input)="name.set($any($event.target).value)" placeholder="a short name" /></div>
            <button type="submit" class="btn primary" [disabled]="busy() || !model()">Load</button>
          </form>
        }
      </section>

      <section class="card" aria-labelledby="infer-title">
        <h2 id="infer-title">Run</h2>
        @if (canInvoke) {
          <form class="form" (submit)="$event.preventDefault(); infer()">
            <div class="field"><label for="cd-run-model">Loaded model</label>
              <select id="cd-run-model" [value]="runModel()" (change)="runModel.set($any($event.target).value)">
                @for (m of stats()?.loaded ?? []; track m.name) { <option [value]="m.name">{{ m.name }} ({{ m.kind }})</option> }
              </select></div>
            <div class="field"><label for="cd-input">Texts (encoders: one per line) or a prompt (decoders)</label>
              <textarea id="cd-input" rows="3" [value]="runInput()" (input)="runInput.set($any($event.target).value)"></textarea></div>
            <button type="submit" class="btn primary" [disabled]="busy() || !runModel()">Run inference</button>
          </form>
          @if (inferOut()) { <pre class="output" data-testid="infer-output">{{ inferOut() }}</pre> }
          <h3>Tensor operations</h3>
          <form class="form" (submit)="$event.preventDefault(); tensor()">
            <div class="row">
              <label>Operation <select [value]="op()" (change)="op.set($any($event.target).value)">
                @for (o of ops; track o) { <option [value]="o">{{ o }}</option> }</select></label>
              <label>Axis <input class="narrow" [value]="axis()" (input)="axis.set($any($event.target).value)" placeholder="(none)" /></label>
            </div>
            <div class="field"><label for="cd-a">a (JSON: nested arrays or {{ '{' }}shape, data{{ '}' }})</label>
              <input id="cd-a" [value]="a()" (input)="a.set($any($event.target).value)" /></div>
            <div class="field"><label for="cd-b">b (for matmul, add, mul)</label>
              <input id="cd-b" [value]="b()" (input)="b.set($any($event.target).value)" /></div>
            <button type="submit" class="btn" [disabled]="busy()">Compute</button>
          </form>
          @if (tensorOut()) { <pre class="output" data-testid="tensor-output">{{ tensorOut() }}</pre> }
        }
      </section>
    </div>
    <bkg-notice [error]="error()" />
  `,
})
export class CandleDashboardComponent implements OnInit {
  readonly plugin = input.required<PluginSummary>();
  private readonly api = inject(PluginApiService);
  private readonly modelsApi = inject(ModelsApiService);
  private readonly auth = inject(AuthStore);
  protected readonly canInvoke = this.auth.can('plugins:invoke');
  protected readonly ops = OPS;
  protected readonly stats = signal<Stats | null>(null);
  protected readonly models = signal<Model[]>([]);
  protected readonly ready = computed(() => this.models().filter((m) => m.status === 'ready'));
  protected readonly model = signal('');
  protected readonly name = signal('');
  protected readonly runModel = signal('');
  protected readonly runInput = signal('hello world');
  protected readonly inferOut = signal('');
  protected readonly op = signal('matmul');
  protected readonly axis = signal('');
  protected readonly a = signal('[[1, 2], [3, 4]]');
  protected readonly b = signal('[[5, 6], [7, 8]]');
  protected readonly tensorOut = signal('');
  protected readonly busy = signal(false);
  protected readonly error = signal<unknown>(null);
  protected bytes = formatBytes;

  ngOnInit(): void {
    if (this.auth.can('models:read')) this.modelsApi.list().then((m) => this.models.set(m), (e: unknown) => this.error.set(e));
    if (this.canInvoke && this.plugin().status === 'running') void this.refresh();
  }

  private call<T>(capability: string, input: unknown): Promise<T | null> {
    return attempt(this.error, () => this.api.invoke<T>(this.plugin().id, capability, input), this.busy);
  }

  protected async refresh(): Promise<void> {
    const s = await this.call<Stats>('stats', {});
    if (s) {
      this.stats.set(s);
      if (!s.loaded.some((m) => m.name === this.runModel())) this.runModel.set(s.loaded[0]?.name ?? '');
    }
  }

  protected async load(): Promise<void> {
    const input: Record<string, string> = { model: this.model() };
    if (this.name().trim()) input['name'] = this.name().trim();
    if (await this.call('model.load', input)) await this.refresh();
  }

  protected async unload(name: string): Promise<void> {
    if (await this.call('model.unload', { name })) await this.refresh();
  }

  protected async infer(): Promise<void> {
    const m = this.stats()?.loaded.find((l) => l.name === this.runModel());
    const lines = this.runInput().split('\n').map((l) => l.trim()).filter(Boolean);
    const input = m?.kind === 'encoder'
      ? { model: this.runModel(), texts: lines }
      : { model: this.runModel(), prompt: this.runInput(), max_tokens: 32 };
    const r = await this.call<unknown>('infer', input);
    if (r) this.inferOut.set(summarise(r));
    await this.refresh();
  }

  protected async tensor(): Promise<void> {
    let a: unknown;
    let b: unknown;
    try {
      a = JSON.parse(this.a());
      b = this.b().trim() && ['matmul', 'add', 'mul'].includes(this.op()) ? JSON.parse(this.b()) : undefined;
    } catch {
      this.error.set({ code: 'invalid_json', message: 'a and b must be JSON' });
      return;
    }
    const input: Record<string, unknown> = { op: this.op(), a };
    if (b !== undefined) input['b'] = b;
    if (this.axis().trim()) input['axis'] = Number(this.axis());
    const r = await this.call<unknown>('tensor.ops', input);
    if (r) this.tensorOut.set(JSON.stringify(r));
  }
}

/** Long embedding vectors are shortened for display. */
function summarise(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (Array.isArray(x) && x.length > 8 && typeof x[0] === 'number' ? [...x.slice(0, 8), `… ${x.length} values`] : x), 2);
}
