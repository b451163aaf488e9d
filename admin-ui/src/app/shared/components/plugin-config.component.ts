import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal, signal } from '@angular/core';
import { fieldErrors, toShownError } from '../../core/api/errors';
import type { PluginDetail } from '../../core/api/types';
import { AuthStore } from '../../core/auth/auth.store';
import { PluginApiService } from '../../core/services/plugin-api.service';
import { buildObject, fieldOfPath, fieldsOf, toText, type Field } from '../schema-form/schema-form';
import { NoticeComponent } from './notice.component';

/**
 * A plugin's configuration as a form generated from its JSON schema. Saving sends the whole
 * object; the daemon validates it, and its errors are shown on the fields they concern.
 */
@Component({
  selector: 'bkg-plugin-config',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NoticeComponent],
  template: `
    <section class="card" aria-labelledby="config-title">
      <h2 id="config-title">Configuration</h2>
      @if (fields().length === 0) {
        <p class="muted">This plugin declares no configurable settings.</p>
      } @else {
        <form class="form" (submit)="$event.preventDefault(); save()" novalidate>
          @for (f of fields(); track f.name) {
            <div class="field" [class.invalid]="errors().has(f.name)">
              @if (f.kind === 'boolean') {
                <label class="check">
                  <input type="checkbox" [name]="f.name" [checked]="texts()[f.name] === true" [disabled]="!canEdit"
                         (change)="set(f, $any($event.target).checked)" />
                  {{ f.label }}
                </label>
              } @else {
                <label [for]="'cfg-' + f.name">{{ f.label }}@if (f.required) { <span aria-hidden="true">*</span> }</label>
                @if (f.kind === 'enum') {
                  <select [id]="'cfg-' + f.name" [name]="f.name" [value]="texts()[f.name]" [disabled]="!canEdit"
                          (change)="set(f, $any($event.target).value)">
                    @if (!f.required) { <option value="">(default)</option> }
                    @for (o of f.options; track o) { <option [value]="o">{{ o }}</option> }
                  </select>
                } @else if (f.kind === 'json') {
                  <textarea [id]="'cfg-' + f.name" [name]="f.name" rows="4" [value]="texts()[f.name]" [readOnly]="!canEdit"
                            [attr.aria-invalid]="errors().has(f.name)" [attr.aria-describedby]="'cfg-' + f.name + '-msg'"
                            (input)="set(f, $any($event.target).value)"></textarea>
                } @else {
                  <input [id]="'cfg-' + f.name" [name]="f.name" [type]="f.kind === 'string' ? 'text' : 'text'"
                         [attr.inputmode]="f.kind === 'string' ? null : 'decimal'" [value]="texts()[f.name]" [readOnly]="!canEdit"
                         [attr.aria-invalid]="errors().has(f.name)" [attr.aria-describedby]="'cfg-' + f.name + '-msg'"
                         (input)="set(f, $any($event.target).value)" />
                }
              }
              <small [id]="'cfg-' + f.name + '-msg'" class="hint">
                @if (errors().get(f.name); as e) { <span class="field-error" role="alert">{{ e }}</span> }
                @else if (f.description) { {{ f.description }} }
              </small>
            </div>
          }
          @if (canEdit) {
            <div class="row">
              <button type="submit" class="btn primary" [disabled]="saving()">Save configuration</button>
              @if (saved()) { <span role="status" class="ok-text">Saved ({{ saved() }})</span> }
            </div>
          }
        </form>
      }
      @if (formError()) { <p class="field-error" role="alert">{{ formError() }}</p> }
      <bkg-notice [error]="error()" />
    </section>
  `,
})
export class PluginConfigComponent {
  readonly detail = input.required<PluginDetail>();
  private readonly api = inject(PluginApiService);
  protected readonly canEdit = inject(AuthStore).can('plugins:configure');

  protected readonly fields = computed(() => fieldsOf(this.detail().configSchema));
  private readonly current = linkedSignal(() => (this.detail().config ?? {}) as Record<string, unknown>);
  protected readonly texts = linkedSignal<Record<string, string | boolean>>(() => {
    const cfg = this.current();
    return Object.fromEntries(
      this.fields().map((f) => [f.name, f.kind === 'boolean' ? cfg[f.name] === true : toText(f, cfg[f.name])]),
    );
  });
  /** Field name -> message, from the browser's checks or the daemon's answer. */
  protected readonly errors = signal<ReadonlyMap<string, string>>(new Map());
  protected readonly formError = signal('');
  protected readonly error = signal<unknown>(null);
  protected readonly saving = signal(false);
  protected readonly saved = signal('');

  protected set(f: Field, v: string | boolean): void {
    this.texts.update((t) => ({ ...t, [f.name]: v }));
    this.saved.set('');
  }

  protected async save(): Promise<void> {
    this.error.set(null);
    this.formError.set('');
    this.saved.set('');
    const { value, errors } = buildObject(this.fields(), this.texts(), this.current());
    this.errors.set(new Map([...errors].map(([p, m]) => [fieldOfPath(p), m])));
    if (errors.size) return;
    this.saving.set(true);
    try {
      const r = await this.api.setConfig(this.detail().id, value);
      this.current.set((r.config ?? value) as Record<string, unknown>);
      this.saved.set(r.applied);
    } catch (e) {
      const shown = toShownError(e);
      const byField = new Map<string, string>();
      const rest: string[] = [];
      for (const [path, msg] of fieldErrors(shown)) {
        const name = fieldOfPath(path);
        if (name && this.fields().some((f) => f.name === name)) byField.set(name, msg);
        else rest.push(msg);
      }
      this.errors.set(byField);
      if (byField.size || rest.length) this.formError.set(rest.length ? `The daemon refused the configuration: ${rest.join('; ')}` : '');
      else this.error.set(e);
    } finally {
      this.saving.set(false);
    }
  }
}
