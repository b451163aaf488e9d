import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import type { ApiKey, ApiKeySecret, Role } from '../../core/api/types';
import { AuthStore } from '../../core/auth/auth.store';
import { AdminApiService } from '../../core/services/admin-api.service';
import { ConfirmDialogComponent } from '../../shared/components/confirm-dialog.component';
import { NoticeComponent } from '../../shared/components/notice.component';
import { formatTime } from '../../shared/format';
import { attempt } from '../../shared/attempt';

type Pending = { kind: 'delete' | 'rotate'; key: ApiKey };

/**
 * API keys: create (the secret is shown once, with a copy button), rotate with a grace period
 * for the old secret, disable or enable, delete (confirmed). Admins see every user's keys.
 */
@Component({
  selector: 'bkg-api-keys',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NoticeComponent, ConfirmDialogComponent],
  template: `
    <h1>API keys</h1>
    <bkg-notice [error]="error()" />
    <form class="card form" (submit)="$event.preventDefault(); create()" aria-labelledby="new-key-title">
      <h2 id="new-key-title">New key</h2>
      <div class="row wrap-row">
        <label>Name <input name="key-name" [value]="name()" (input)="name.set($any($event.target).value)" /></label>
        <label>Role <select [value]="role()" (change)="role.set($any($event.target).value)">
          <option value="">(my role)</option>@for (r of roles(); track r) { <option [value]="r">{{ r }}</option> }</select></label>
        <label>Expires <input type="date" [value]="expires()" (input)="expires.set($any($event.target).value)" /></label>
        <button type="submit" class="btn primary" [disabled]="!name().trim()">Create key</button>
      </div>
    </form>
    @if (secret(); as s) {
      <section class="card secret" role="alert" aria-labelledby="secret-title">
        <h2 id="secret-title">Secret of {{ s.key.name }}</h2>
        <p>Copy it now: it is shown this once and cannot be read again.</p>
        <div class="row"><code data-testid="secret">{{ s.secret }}</code>
          <button type="button" class="btn" (click)="copy(s.secret)">Copy</button>
          @if (copied()) { <span role="status">Copied</span> }
          <button type="button" class="btn" (click)="secret.set(null)">Done</button></div>
      </section>
    }
    <div class="table-scroll" tabindex="0" role="region" aria-label="API keys">
    <table class="table" data-testid="keys-table">
      <thead><tr><th scope="col">Name</th><th scope="col">Prefix</th><th scope="col">Owner</th><th scope="col">Role</th><th scope="col">State</th>
        <th scope="col">Last used</th><th scope="col">Expires</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
      <tbody>
        @for (k of keys(); track k.id) {
          <tr [attr.data-key]="k.name">
            <td>{{ k.name }}</td><td><code>{{ k.prefix }}</code></td><td>{{ k.username }}</td><td>{{ k.role }}</td>
            <td>{{ k.enabled ? 'enabled' : 'disabled' }}@if (k.previousValidUntil) { <br /><small class="muted">old secret until {{ time(k.previousValidUntil) }}</small> }</td>
            <td>{{ time(k.lastUsedAt) }}</td><td>{{ time(k.expiresAt) }}</td>
            <td class="actions">
              <button type="button" class="btn small" (click)="pending.set({ kind: 'rotate', key: k })" [attr.aria-label]="'Rotate ' + k.name">Rotate</button>
              <button type="button" class="btn small" (click)="toggle(k)" [attr.aria-label]="(k.enabled ? 'Disable ' : 'Enable ') + k.name">{{ k.enabled ? 'Disable' : 'Enable' }}</button>
              <button type="button" class="btn small danger" (click)="pending.set({ kind: 'delete', key: k })" [attr.aria-label]="'Delete ' + k.name">Delete</button>
            </td>
          </tr>
        } @empty { <tr><td colspan="8" class="muted">No API keys.</td></tr> }
      </tbody>
    </table>
    </div>
    @if (pending()?.kind === 'rotate') {
      <div class="card form">
        <label for="grace">Grace period for the old secret (seconds, at most 604800)</label>
        <input id="grace" type="number" min="0" max="604800" [value]="grace()" (input)="grace.set(+$any($event.target).value)" />
      </div>
    }
    <bkg-confirm-dialog [open]="pending() !== null"
      [title]="(pending()?.kind === 'rotate' ? 'Rotate ' : 'Delete ') + (pending()?.key?.name ?? '') + '?'"
      [message]="pending()?.kind === 'rotate' ? 'A new secret is issued; the old one keeps working for the grace period set below the table (' + grace() + ' s).' : 'Scripts using this key stop working at once.'"
      [confirmLabel]="pending()?.kind === 'rotate' ? 'Rotate' : 'Delete'" [danger]="pending()?.kind === 'delete'"
      (confirmed)="confirm()" (cancelled)="pending.set(null)" />
  `,
})
export class ApiKeysComponent {
  private readonly api = inject(AdminApiService);
  private readonly auth = inject(AuthStore);
  protected readonly keys = signal<ApiKey[]>([]);
  protected readonly name = signal('');
  protected readonly role = signal<Role | ''>('');
  protected readonly expires = signal('');
  protected readonly secret = signal<ApiKeySecret | null>(null);
  protected readonly copied = signal(false);
  protected readonly pending = signal<Pending | null>(null);
  protected readonly grace = signal(3600);
  protected readonly error = signal<unknown>(null);
  protected time = formatTime;

  constructor() {
    void this.load();
  }

  /** Roles a key may have: at most the owner's. */
  protected roles(): Role[] {
    const all: Role[] = ['readonly', 'developer', 'admin'];
    return all.slice(0, all.indexOf(this.auth.role() ?? 'readonly') + 1);
  }

  /** Reloads the list; an error is added to the view's, never clears it. */
  private async load(): Promise<void> {
    try {
      this.keys.set(await this.api.keys());
    } catch (e) {
      this.error.set(e);
    }
  }

  private async act(f: () => Promise<unknown>): Promise<void> {
    await attempt(this.error, f);
    await this.load();
  }

  protected create(): Promise<void> {
    return this.act(async () => {
      const s = await this.api.createKey({
        name: this.name().trim(),
        ...(this.role() ? { role: this.role() as Role } : {}),
        ...(this.expires() ? { expiresAt: new Date(`${this.expires()}T23:59:59Z`).toISOString() } : {}),
      });
      this.copied.set(false);
      this.secret.set(s);
      this.name.set('');
    });
  }

  protected toggle(k: ApiKey): Promise<void> {
    return this.act(() => this.api.updateKey(k.id, { enabled: !k.enabled }));
  }

  protected confirm(): Promise<void> {
    const p = this.pending();
    this.pending.set(null);
    if (!p) return Promise.resolve();
    if (p.kind === 'delete') return this.act(() => this.api.deleteKey(p.key.id));
    return this.act(async () => {
      this.copied.set(false);
      this.secret.set(await this.api.rotateKey(p.key.id, this.grace()));
    });
  }

  protected async copy(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.copied.set(true);
    } catch (e) {
      this.error.set(e);
    }
  }
}
