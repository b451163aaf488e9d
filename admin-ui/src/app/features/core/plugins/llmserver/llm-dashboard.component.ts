import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import type { Model, PluginDetail, PluginSummary } from '../../../../core/api/types';
import { AuthStore } from '../../../../core/auth/auth.store';
import { ModelsApiService } from '../../../../core/services/models-api.service';
import { PluginApiService } from '../../../../core/services/plugin-api.service';
import { NoticeComponent } from '../../../../shared/components/notice.component';

interface Turn {
  role: 'user' | 'assistant';
  content: string;
  meta?: string;
}

interface ChatResult {
  completionTokens?: number;
  promptTokens?: number;
  finishReason?: string;
}

interface EmbeddingsResult {
  model: string;
  dimension: number;
  embeddings: number[][];
}

/** llmserver: chat with streamed tokens, the models it uses, and an embeddings try-out. */
@Component({
  selector: 'bkg-llm-dashboard',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NoticeComponent],
  template: `
    <div class="grid two">
      <section class="card" aria-labelledby="chat-title">
        <h2 id="chat-title">Chat</h2>
        @if (plugin().status !== 'running') { <p class="muted">Start the plugin to chat.</p> }
        <ol class="chat" aria-live="polite" data-testid="chat">
          @for (t of turns(); track $index) {
            <li [class]="'turn ' + t.role"><strong>{{ t.role }}</strong> <span class="content">{{ t.content }}</span>
              @if (t.meta) { <small class="muted">{{ t.meta }}</small> }</li>
          }
        </ol>
        @if (canInvoke) {
          <form class="form" (submit)="$event.preventDefault(); send()">
            <div class="field">
              <label for="chat-input">Message</label>
              <textarea id="chat-input" rows="2" [value]="draft()" (input)="draft.set($any($event.target).value)"
                        (keydown.control.enter)="send()"></textarea>
            </div>
            <div class="row">
              <label>Max tokens <input type="number" min="1" max="8192" class="narrow" [value]="maxTokens()" (input)="maxTokens.set(+$any($event.target).value)" /></label>
              <label>Temperature <input type="number" min="0" max="2" step="0.1" class="narrow" [value]="temperature()" (input)="temperature.set(+$any($event.target).value)" /></label>
              <button type="submit" class="btn primary" [disabled]="streaming() || plugin().status !== 'running'">Send</button>
              @if (streaming()) { <button type="button" class="btn" (click)="stop()">Stop generating</button> }
              <button type="button" class="btn" (click)="turns.set([])" [disabled]="streaming()">Clear</button>
            </div>
          </form>
        }
        <bkg-notice [error]="chatError()" />
      </section>

      <section class="card" aria-labelledby="models-title">
        <h2 id="models-title">Models</h2>
        <dl class="figures">
          <div><dt>Chat model</dt><dd data-testid="chat-model">{{ config().chatModel ?? '–' }}</dd></div>
          <div><dt>Embedding model</dt><dd>{{ config().embeddingModel ?? '–' }}</dd></div>
        </dl>
        @if (canConfigure) {
          <form class="form" (submit)="$event.preventDefault(); pick()">
            <div class="field">
              <label for="model-pick">Ready model</label>
              <select id="model-pick" [value]="picked()" (change)="picked.set($any($event.target).value)">
                <option value="">Choose a model…</option>
                @for (m of ready(); track m.id) { <option [value]="m.repo">{{ m.repo }}</option> }
              </select>
            </div>
            <div class="row">
              <button type="submit" class="btn" [disabled]="!picked()">Use for chat</button>
              <button type="button" class="btn" [disabled]="!picked()" (click)="pick('embeddingModel')">Use for embeddings</button>
              @if (pickedNote()) { <span role="status">{{ pickedNote() }}</span> }
            </div>
          </form>
        }
        <bkg-notice [error]="modelError()" />

        <h3>Embeddings</h3>
        @if (canInvoke) {
          <form class="form" (submit)="$event.preventDefault(); embed()">
            <div class="field">
              <label for="embed-input">Texts, one per line</label>
              <textarea id="embed-input" rows="3" [value]="embedText()" (input)="embedText.set($any($event.target).value)"></textarea>
            </div>
            <button type="submit" class="btn" [disabled]="embedding() || plugin().status !== 'running'">Embed</button>
          </form>
        }
        @if (embedResult(); as r) {
          <p data-testid="embed-result">{{ r.embeddings.length }} vectors of dimension {{ r.dimension }} ({{ r.model }})</p>
          @if (similarity().length > 1) {
            <table class="table"><caption>Cosine similarity</caption>
              <thead><tr><th scope="col">text</th>@for (t of embedTexts(); track $index) { <th scope="col">{{ $index + 1 }}</th> }</tr></thead>
              <tbody>@for (row of similarity(); track $index) {
                <tr><th scope="row">{{ $index + 1 }}. {{ embedTexts()[$index] }}</th>@for (v of row; track $index) { <td>{{ v.toFixed(3) }}</td> }</tr>
              }</tbody>
            </table>
          }
        }
        <bkg-notice [error]="embedError()" />
      </section>
    </div>
  `,
})
export class LlmDashboardComponent {
  readonly plugin = input.required<PluginSummary>();
  readonly detail = input.required<PluginDetail>();
  private readonly api = inject(PluginApiService);
  private readonly modelsApi = inject(ModelsApiService);
  private readonly auth = inject(AuthStore);
  protected readonly canInvoke = this.auth.can('plugins:invoke');
  protected readonly canConfigure = this.auth.can('plugins:configure');

  protected readonly turns = signal<Turn[]>([]);
  protected readonly draft = signal('');
  protected readonly maxTokens = signal(64);
  protected readonly temperature = signal(0.7);
  protected readonly streaming = signal(false);
  protected readonly chatError = signal<unknown>(null);
  private abort: AbortController | null = null;

  protected readonly overrides = signal<Record<string, unknown>>({});
  protected readonly config = computed(
    () => ({ ...((this.detail().config ?? {}) as Record<string, unknown>), ...this.overrides() }) as Record<string, string | undefined>,
  );
  protected readonly models = signal<Model[]>([]);
  protected readonly ready = computed(() => this.models().filter((m) => m.status === 'ready'));
  protected readonly picked = signal('');
  protected readonly pickedNote = signal('');
  protected readonly modelError = signal<unknown>(null);

  protected readonly embedText = signal('The cat sat on the mat.\nA kitten rested on the rug.\nStock prices fell sharply.');
  protected readonly embedTexts = computed(() => this.embedText().split('\n').map((t) => t.trim()).filter(Boolean));
  protected readonly embedResult = signal<EmbeddingsResult | null>(null);
  protected readonly embedding = signal(false);
  protected readonly embedError = signal<unknown>(null);
  protected readonly similarity = computed(() => {
    const v = this.embedResult()?.embeddings ?? [];
    return v.map((a) => v.map((b) => cosine(a, b)));
  });

  constructor() {
    if (this.auth.can('models:read')) {
      this.modelsApi.list().then((m) => this.models.set(m), (e: unknown) => this.modelError.set(e));
    }
  }

  protected async send(): Promise<void> {
    const text = this.draft().trim();
    if (!text || this.streaming()) return;
    this.chatError.set(null);
    const history = [...this.turns(), { role: 'user' as const, content: text }];
    this.turns.set([...history, { role: 'assistant', content: '' }]);
    this.draft.set('');
    this.streaming.set(true);
    this.abort = new AbortController();
    const input = {
      messages: history.map(({ role, content }) => ({ role, content })),
      max_tokens: this.maxTokens(),
      temperature: this.temperature(),
    };
    const patchLast = (f: (t: Turn) => Turn) => this.turns.update((ts) => [...ts.slice(0, -1), f(ts[ts.length - 1])]);
    try {
      await this.api.stream(this.plugin().id, 'chat', input, (ev) => {
        if ('chunk' in ev) {
          const delta = (ev.chunk as { delta?: string }).delta ?? '';
          patchLast((t) => ({ ...t, content: t.content + delta }));
        } else if ('result' in ev) {
          const r = ev.result as ChatResult;
          patchLast((t) => ({ ...t, meta: `${r.completionTokens ?? '?'} tokens · ${r.finishReason ?? ''}` }));
        } else {
          this.chatError.set(ev.error);
        }
      }, this.abort.signal);
    } catch (e) {
      if (!(e instanceof DOMException && e.name === 'AbortError')) this.chatError.set(e);
    } finally {
      this.streaming.set(false);
      this.abort = null;
    }
  }

  protected stop(): void {
    this.abort?.abort();
  }

  protected async pick(key: 'chatModel' | 'embeddingModel' = 'chatModel'): Promise<void> {
    this.modelError.set(null);
    this.pickedNote.set('');
    const next = { ...this.config(), [key]: this.picked() };
    try {
      const r = await this.api.setConfig(this.plugin().id, next);
      this.overrides.set(r.config as Record<string, unknown>);
      this.pickedNote.set(`Applied (${r.applied}).`);
    } catch (e) {
      this.modelError.set(e);
    }
  }

  protected async embed(): Promise<void> {
    this.embedError.set(null);
    this.embedResult.set(null);
    this.embedding.set(true);
    try {
      this.embedResult.set(await this.api.invoke<EmbeddingsResult>(this.plugin().id, 'embeddings', { input: this.embedTexts() }));
    } catch (e) {
      this.embedError.set(e);
    } finally {
      this.embedding.set(false);
    }
  }
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
