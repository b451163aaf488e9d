import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal, signal } from '@angular/core';
import type { CapabilitySpec } from '../../core/api/types';
import { AuthStore } from '../../core/auth/auth.store';
import { PluginApiService } from '../../core/services/plugin-api.service';
import { buildObject, fieldOfPath, fieldsOf } from '../schema-form/schema-form';
import { fieldErrors, toShownError } from '../../core/api/errors';
import { NoticeComponent } from './notice.component';

/** Invokes any capability of a plugin with a form generated from its input schema. */
@Component({
  selector: 'bkg-capability-runner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NoticeComponent],
  template: `
    <section class="card" aria-labelledby="run-title">
      <h2 id="run-title">Capabilities</h2>
      @if (capabilities().length === 0) {
        <p class="muted">This plugin declares no capabilities.</p>
      } @else {
        <ul class="caps">
          @for (c of capabilities(); track c.name) {
            <li><code>{{ c.name }}</code>@if (c.streaming) { <span class="pill">streams</span> } {{ c.description }}</li>
          }
        </ul>
        @if (canInvoke) {
          <form class="form" (submit)="$event.preventDefault(); run()">
            <div class="field">
              <label for="cap-select">Capability</label>
              <select id="cap-select" [value]="selected()" (change)="selected.set($any($event.target).value)">
                @for (c of capabilities(); track c.name) { <option [value]="c.name">{{ c.name }}</option> }
              </select>
            </div>
            @for (f of fields(); track f.name) {
              <div class="field">
                <label [for]="'in-' + f.name">{{ f.label }} ({{ f.kind }})@if (f.required) { <span aria-hidden="true">*</span> }</label>
                @if (f.kind === 'json') {
                  <textarea [id]="'in-' + f.name" rows="3" [value]="texts()[f.name] ?? ''" (input)="set(f.name, $any($event.target).value)"></textarea>
                } @else if (f.kind === 'boolean') {
                  <input [id]="'in-' + f.name" type="checkbox" (change)="set(f.name, $any($event.target).checked)" />
                } @else {
                  <input [id]="'in-' + f.name" [value]="texts()[f.name] ?? ''" (input)="set(f.name, $any($event.target).value)" />
                }
                @if (errors().get(f.name); as e) { <small class="field-error" role="alert">{{ e }}</small> }
              </div>
            }
            <button type="submit" class="btn primary" [disabled]="busy()">Invoke</button>
          </form>
        } @else {
          <p class="muted">Your role may not invoke capabilities.</p>
        }
        <bkg-notice [error]="error()" />
        @if (output() !== null) { <pre class="output" data-testid="invoke-output">{{ output() }}</pre> }
      }
    </section>
  `,
})
export class CapabilityRunnerComponent {
  readonly pluginId = input.required<string>();
  readonly capabilities = input.required<CapabilitySpec[]>();
  private readonly api = inject(PluginApiService);
  protected readonly canInvoke = inject(AuthStore).can('plugins:invoke');
  protected readonly selected = linkedSignal(() => this.capabilities()[0]?.name ?? '');
  private readonly spec = computed(() => this.capabilities().find((c) => c.name === this.selected()));
  protected readonly fields = computed(() => fieldsOf(this.spec()?.inputSchema));
  protected readonly texts = linkedSignal<Partial<Record<string, string | boolean>>>(() => (this.selected(), {}));
  protected readonly errors = signal<ReadonlyMap<string, string>>(new Map());
  protected readonly output = signal<string | null>(null);
  protected readonly error = signal<unknown>(null);
  protected readonly busy = signal(false);

  protected set(name: string, v: string | boolean): void {
    this.texts.update((t) => ({ ...t, [name]: v }));
  }

  protected async run(): Promise<void> {
    this.error.set(null);
    this.output.set(null);
    const { value, errors } = buildObject(this.fields(), this.texts() as Record<string, string | boolean>);
    this.errors.set(new Map([...errors].map(([p, m]) => [fieldOfPath(p), m])));
    if (errors.size) return;
    this.busy.set(true);
    try {
      const out = await this.api.invoke(this.pluginId(), this.selected(), value);
      this.output.set(JSON.stringify(out, null, 2));
    } catch (e) {
      const byField = new Map([...fieldErrors(toShownError(e))].map(([p, m]) => [fieldOfPath(p), m]));
      this.errors.set(byField);
      this.error.set(e);
    } finally {
      this.busy.set(false);
    }
  }
}
