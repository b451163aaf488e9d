import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import type { Model } from '../../core/api/types';
import { AuthStore } from '../../core/auth/auth.store';
import { ModelsApiService } from '../../core/services/models-api.service';
import { ModelsStore } from '../../core/stores/models.store';
import { ConfirmDialogComponent } from '../../shared/components/confirm-dialog.component';
import { NoticeComponent } from '../../shared/components/notice.component';
import { StatusBadgeComponent } from '../../shared/components/status-badge.component';
import { formatBytes, formatDuration, formatTime } from '../../shared/format';
import { attempt } from '../../shared/attempt';

/** The model registry: list, download with live progress, validate, delete (confirmed), import. */
@Component({
  selector: 'bkg-models',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [StatusBadgeComponent, NoticeComponent, ConfirmDialogComponent],
  template: `
    <h1>Models</h1>
    <bkg-notice [error]="store.error()" />
    @if (canWrite) {
      <div class="grid two">
        <form class="card form" (submit)="$event.preventDefault(); download()" aria-labelledby="dl-form-title">
          <h2 id="dl-form-title">Download from the hub</h2>
          <div class="field"><label for="dl-repo">Repository (org/name)</label>
            <input id="dl-repo" [value]="repo()" (input)="repo.set($any($event.target).value)" placeholder="sentence-transformers/all-MiniLM-L6-v2" /></div>
          <div class="field"><label for="dl-rev">Revision</label>
            <input id="dl-rev" [value]="revision()" (input)="revision.set($any($event.target).value)" placeholder="main" /></div>
          <div class="field"><label for="dl-files">Files (globs, comma-separated; empty: all)</label>
            <input id="dl-files" [value]="files()" (input)="files.set($any($event.target).value)" placeholder="*.json, *.safetensors" /></div>
          <button type="submit" class="btn primary" [disabled]="busy() || !repo()">Download</button>
        </form>
        <form class="card form" (submit)="$event.preventDefault(); import()" aria-labelledby="imp-form-title">
          <h2 id="imp-form-title">Import a local folder</h2>
          <div class="field"><label for="imp-path">Folder on the daemon's machine</label>
            <input id="imp-path" [value]="path()" (input)="path.set($any($event.target).value)" /></div>
          <div class="field"><label for="imp-repo">Register as (org/name)</label>
            <input id="imp-repo" [value]="importRepo()" (input)="importRepo.set($any($event.target).value)" placeholder="local/my-model" /></div>
          <button type="submit" class="btn" [disabled]="busy() || !path()">Import</button>
        </form>
      </div>
    }
    <bkg-notice [error]="error()" />
    @if (note()) { <p role="status">{{ note() }}</p> }
    <div class="table-scroll" tabindex="0" role="region" aria-label="Models">
    <table class="table" data-testid="models-table">
      <thead><tr><th scope="col">Model</th><th scope="col">Status</th><th scope="col">Progress</th><th scope="col">Size</th>
        <th scope="col">Used by</th><th scope="col">Validated</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
      <tbody>
        @for (m of store.models(); track m.id) {
          <tr [attr.data-model]="m.repo">
            <td>{{ m.repo }} <small class="muted">{{ m.revision }} · {{ m.source }}</small>
              @if (m.error) { <br /><small class="field-error">{{ m.error }}</small> }</td>
            <td><bkg-status-badge [status]="m.status" /></td>
            <td>
              @if (m.status === 'downloading' || m.status === 'queued' || m.status === 'verifying') {
                <progress [value]="m.progress.bytesDone" [max]="m.progress.bytesTotal || 1" [attr.aria-label]="'Download of ' + m.repo"></progress>
                {{ pct(m) }} · {{ bytes(m.progress.rate) }}/s @if (m.progress.etaSeconds) { · {{ duration(m.progress.etaSeconds) }} left }
              } @else { – }
            </td>
            <td>{{ bytes(m.totalBytes) }}</td>
            <td>{{ m.usedBy.join(', ') || '–' }}</td>
            <td>{{ time(m.lastValidatedAt) }}</td>
            <td class="actions">
              @if (canWrite) {
                <button type="button" class="btn small" (click)="validate(m)" [attr.aria-label]="'Validate ' + m.repo">Validate</button>
                <button type="button" class="btn small danger" (click)="toDelete.set(m)" [attr.aria-label]="'Delete ' + m.repo">Delete</button>
              }
            </td>
          </tr>
        } @empty { @if (store.loaded()) { <tr><td colspan="7" class="muted">No models yet.</td></tr> } }
      </tbody>
    </table>
    </div>
    <bkg-confirm-dialog [open]="toDelete() !== null" [title]="'Delete ' + (toDelete()?.repo ?? '') + '?'"
      [message]="deleteMessage()" confirmLabel="Delete" (confirmed)="remove()" (cancelled)="toDelete.set(null)" />
  `,
})
export class ModelsComponent {
  protected readonly store = inject(ModelsStore);
  private readonly api = inject(ModelsApiService);
  protected readonly canWrite = inject(AuthStore).can('models:write');
  protected readonly repo = signal('');
  protected readonly revision = signal('');
  protected readonly files = signal('');
  protected readonly path = signal('');
  protected readonly importRepo = signal('');
  protected readonly busy = signal(false);
  protected readonly error = signal<unknown>(null);
  protected readonly note = signal('');
  protected readonly toDelete = signal<Model | null>(null);

  protected bytes = formatBytes;
  protected duration = formatDuration;
  protected time = formatTime;

  constructor() {
    void this.store.load();
  }

  protected pct(m: Model): string {
    return m.progress.bytesTotal ? `${Math.floor((m.progress.bytesDone / m.progress.bytesTotal) * 100)} %` : '';
  }

  protected deleteMessage(): string {
    const m = this.toDelete();
    if (!m) return '';
    return m.usedBy.length
      ? `Its files are removed. It is in use by ${m.usedBy.join(', ')}: the daemon refuses unless those runs stop.`
      : 'Its files and its registry entry are removed.';
  }

  private async act(f: () => Promise<string>): Promise<void> {
    this.note.set('');
    const note = await attempt(this.error, f, this.busy);
    if (note !== null) {
      this.note.set(note);
      await this.store.load();
    }
  }

  protected download(): Promise<void> {
    const files = this.files().split(',').map((f) => f.trim()).filter(Boolean);
    return this.act(async () => {
      await this.api.download({ repo: this.repo().trim(), ...(this.revision().trim() ? { revision: this.revision().trim() } : {}), ...(files.length ? { files } : {}) });
      return `Download of ${this.repo()} started.`;
    });
  }

  protected import(): Promise<void> {
    return this.act(async () => {
      const m = await this.api.import({ path: this.path().trim(), ...(this.importRepo().trim() ? { repo: this.importRepo().trim() } : {}) });
      return `Imported ${m.repo} (${m.status}).`;
    });
  }

  protected validate(m: Model): Promise<void> {
    return this.act(async () => {
      const r = await this.api.validate(m.id);
      return r.ok ? `${m.repo} is valid.` : `${m.repo} has problems: ${r.problems.join('; ')}`;
    });
  }

  protected remove(): Promise<void> {
    const m = this.toDelete();
    this.toDelete.set(null);
    if (!m) return Promise.resolve();
    return this.act(async () => {
      await this.api.delete(m.id, false);
      return `Deleted ${m.repo}.`;
    });
  }
}
