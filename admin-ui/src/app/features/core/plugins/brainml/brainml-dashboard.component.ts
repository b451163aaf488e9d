import { ChangeDetectionStrategy, Component, inject, input, signal, type OnInit } from '@angular/core';
import type { PluginSummary } from '../../../../core/api/types';
import { AuthStore } from '../../../../core/auth/auth.store';
import { PluginApiService } from '../../../../core/services/plugin-api.service';
import { NoticeComponent } from '../../../../shared/components/notice.component';
import { attempt } from '../../../../shared/attempt';

interface Stats {
  collections: { collection: string; documents: number; indexed: number | null }[];
  classifiers: { name: string; classes: string[]; dimension: number }[];
  documentsIndexed: number;
  queries: number;
}
interface Hit {
  id: string;
  score: number;
  text: string;
  metadata: Record<string, unknown>;
}
interface TrainResult {
  classifier: string;
  classes: string[];
  trained: number;
  tested: number;
  trainAccuracy: number;
  testAccuracy: number | null;
}
interface Prediction {
  text: string;
  label: string;
  probability: number;
}

/**
 * brainml: collections, indexing text (with a metadata label), semantic queries with scores
 * and metadata filters, training and testing a classifier, snapshots and restores.
 */
@Component({
  selector: 'bkg-brainml-dashboard',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NoticeComponent],
  template: `
    @if (plugin().status !== 'running') { <p class="muted">Start the plugin to use its collections.</p> }
    <div class="grid two">
      <section class="card" aria-labelledby="coll-title">
        <h2 id="coll-title">Collections</h2>
        @if (canInvoke) {
          <button type="button" class="btn small" (click)="refresh()" [disabled]="plugin().status !== 'running'">Refresh</button>
        } @else {
          <p class="muted">Your role may not invoke this plugin's capabilities, so its state is not shown.</p>
        }
        @if (stats(); as s) {
          <table class="table" data-testid="collections">
            <thead><tr><th scope="col">Collection</th><th scope="col">Documents</th><th scope="col">Indexed in memory</th></tr></thead>
            <tbody>
              @for (c of s.collections; track c.collection) {
                <tr><td>{{ c.collection }}</td><td>{{ c.documents }}</td><td>{{ c.indexed ?? 'not loaded' }}</td></tr>
              } @empty { <tr><td colspan="3" class="muted">No collections yet: index some text.</td></tr> }
            </tbody>
          </table>
          <p class="muted">{{ s.documentsIndexed }} documents indexed and {{ s.queries }} queries since start;
            classifiers: {{ s.classifiers.length ? classifierNames(s) : 'none' }}</p>
        }
        @if (canInvoke) {
          <h3>Index text</h3>
          <form class="form" (submit)="$event.preventDefault(); index()">
            <div class="field"><label for="bm-coll">Collection</label>
              <input id="bm-coll" [value]="collection()" (input)="collection.set($any($event.target).value)" /></div>
            <div class="field"><label for="bm-docs">Documents, one per line (optionally <code>label: text</code>)</label>
              <textarea id="bm-docs" rows="4" [value]="docs()" (input)="docs.set($any($event.target).value)"></textarea></div>
            <button type="submit" class="btn primary" [disabled]="busy()">Index</button>
            @if (indexed()) { <span role="status">{{ indexed() }}</span> }
          </form>
          <h3>Snapshots</h3>
          <form class="form" (submit)="$event.preventDefault(); admin('snapshot')">
            <div class="field"><label for="bm-path">Snapshot file (absolute path on the daemon's machine)</label>
              <input id="bm-path" [value]="path()" (input)="path.set($any($event.target).value)" /></div>
            <div class="row">
              <button type="submit" class="btn" [disabled]="busy() || !path()">Snapshot collection</button>
              <button type="button" class="btn" [disabled]="busy() || !path()" (click)="admin('restore')">Restore from file</button>
              <button type="button" class="btn" [disabled]="busy()" (click)="admin('rebuild')">Rebuild index</button>
            </div>
            @if (adminResult()) { <pre class="output">{{ adminResult() }}</pre> }
          </form>
        }
      </section>

      <section class="card" aria-labelledby="query-title">
        <h2 id="query-title">Query</h2>
        @if (canInvoke) {
          <form class="form" (submit)="$event.preventDefault(); query()">
            <div class="field"><label for="bm-q">Text</label>
              <input id="bm-q" [value]="q()" (input)="q.set($any($event.target).value)" /></div>
            <div class="row">
              <label>Top k <input type="number" min="1" max="1000" class="narrow" [value]="k()" (input)="k.set(+$any($event.target).value)" /></label>
              <label>Metadata filter (JSON) <input [value]="filter()" (input)="filter.set($any($event.target).value)" placeholder='{"label": "pets"}' /></label>
            </div>
            <button type="submit" class="btn primary" [disabled]="busy()">Search</button>
          </form>
          @if (hits(); as hs) {
            <table class="table" data-testid="hits">
              <thead><tr><th scope="col">Score</th><th scope="col">Text</th><th scope="col">Metadata</th></tr></thead>
              <tbody>@for (h of hs; track h.id) {
                <tr><td>{{ h.score.toFixed(3) }}</td><td>{{ h.text }}</td><td><code>{{ json(h.metadata) }}</code></td></tr>
              } @empty { <tr><td colspan="3" class="muted">No hits.</td></tr> }</tbody>
            </table>
          }
          <h3>Classifier</h3>
          <form class="form" (submit)="$event.preventDefault(); train()">
            <div class="row">
              <label>Label field <input class="narrow" [value]="labelField()" (input)="labelField.set($any($event.target).value)" /></label>
              <label>Held out <input type="number" min="0" max="0.9" step="0.05" class="narrow" [value]="holdout()" (input)="holdout.set(+$any($event.target).value)" /></label>
              <label>Epochs <input type="number" min="1" max="10000" class="narrow" [value]="epochs()" (input)="epochs.set(+$any($event.target).value)" /></label>
            </div>
            <button type="submit" class="btn" [disabled]="busy()">Train on the collection</button>
          </form>
          @if (trained(); as t) {
            <p data-testid="train-result">Classifier <strong>{{ t.classifier }}</strong>: {{ t.classes.join(', ') }};
              train accuracy {{ pct(t.trainAccuracy) }} on {{ t.trained }},
              test accuracy {{ t.testAccuracy === null ? 'n/a' : pct(t.testAccuracy) }} on {{ t.tested }}.</p>
            <form class="form" (submit)="$event.preventDefault(); classify()">
              <div class="field"><label for="bm-cls">Texts to classify, one per line</label>
                <textarea id="bm-cls" rows="2" [value]="toClassify()" (input)="toClassify.set($any($event.target).value)"></textarea></div>
              <button type="submit" class="btn" [disabled]="busy()">Classify</button>
            </form>
            @for (p of predictions(); track $index) { <p>{{ p.text }} → <strong>{{ p.label }}</strong> ({{ pct(p.probability) }})</p> }
          }
        }
      </section>
    </div>
    <bkg-notice [error]="error()" />
  `,
})
export class BrainmlDashboardComponent implements OnInit {
  readonly plugin = input.required<PluginSummary>();
  private readonly api = inject(PluginApiService);
  protected readonly canInvoke = inject(AuthStore).can('plugins:invoke');
  protected readonly stats = signal<Stats | null>(null);
  protected readonly collection = signal('notes');
  protected readonly docs = signal('pets: The cat sleeps on the sofa.\npets: Dogs love long walks.\nfinance: The bank raised interest rates.\nfinance: Shares fell after the report.');
  protected readonly indexed = signal('');
  protected readonly path = signal('');
  protected readonly adminResult = signal('');
  protected readonly q = signal('animals at home');
  protected readonly k = signal(5);
  protected readonly filter = signal('');
  protected readonly hits = signal<Hit[] | null>(null);
  protected readonly labelField = signal('label');
  protected readonly holdout = signal(0.25);
  protected readonly epochs = signal(200);
  protected readonly trained = signal<TrainResult | null>(null);
  protected readonly toClassify = signal('A puppy chewed my shoe.');
  protected readonly predictions = signal<Prediction[]>([]);
  protected readonly busy = signal(false);
  protected readonly error = signal<unknown>(null);

  ngOnInit(): void {
    if (this.canInvoke && this.plugin().status === 'running') void this.refresh();
  }

  protected json = (v: unknown) => JSON.stringify(v);
  protected pct = (v: number) => `${(v * 100).toFixed(1)} %`;
  protected classifierNames = (s: Stats) => s.classifiers.map((c) => c.name).join(', ');

  private call<T>(capability: string, input: unknown): Promise<T | null> {
    return attempt(this.error, () => this.api.invoke<T>(this.plugin().id, capability, input), this.busy);
  }

  protected async refresh(): Promise<void> {
    const s = await this.call<Stats>('stats', {});
    if (s) this.stats.set(s);
  }

  protected async index(): Promise<void> {
    const documents = this.docs()
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const m = /^([\w-]{1,40}):\s*(.+)$/.exec(l);
        return m ? { text: m[2], metadata: { [this.labelField() || 'label']: m[1] } } : { text: l };
      });
    const r = await this.call<{ documents: number; ids: string[] }>('index', { collection: this.collection(), documents });
    if (r) {
      this.indexed.set(`Indexed ${r.ids.length}; the collection has ${r.documents} documents.`);
      await this.refresh();
    }
  }

  protected async query(): Promise<void> {
    let filter: unknown;
    if (this.filter().trim()) {
      try {
        filter = JSON.parse(this.filter());
      } catch {
        this.error.set({ code: 'invalid_json', message: 'the metadata filter is not valid JSON' });
        return;
      }
    }
    const r = await this.call<{ hits: Hit[] }>('query', { collection: this.collection(), text: this.q(), k: this.k(), ...(filter ? { filter } : {}) });
    if (r) this.hits.set(r.hits);
  }

  protected async train(): Promise<void> {
    const r = await this.call<TrainResult>('train', {
      collection: this.collection(),
      labelField: this.labelField(),
      holdout: this.holdout(),
      epochs: this.epochs(),
    });
    if (r) {
      this.trained.set(r);
      this.predictions.set([]);
      await this.refresh();
    }
  }

  protected async classify(): Promise<void> {
    const t = this.trained();
    if (!t) return;
    const texts = this.toClassify().split('\n').map((l) => l.trim()).filter(Boolean);
    const r = await this.call<{ predictions: Prediction[] }>('train', { name: t.classifier, classify: texts });
    if (r) this.predictions.set(r.predictions);
  }

  protected async admin(action: 'snapshot' | 'restore' | 'rebuild'): Promise<void> {
    const input: Record<string, string> = { action, collection: this.collection() };
    if (action !== 'rebuild') input['path'] = this.path();
    const r = await this.call<unknown>('admin', input);
    if (r) {
      this.adminResult.set(JSON.stringify(r, null, 2));
      await this.refresh();
    }
  }
}
