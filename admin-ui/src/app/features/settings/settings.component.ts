import { ChangeDetectionStrategy, Component, inject, signal, type OnInit } from '@angular/core';
import { Router } from '@angular/router';
import type { EffectiveConfig, SessionInfo } from '../../core/api/types';
import { AuthStore } from '../../core/auth/auth.store';
import { AdminApiService } from '../../core/services/admin-api.service';
import { ConfirmDialogComponent } from '../../shared/components/confirm-dialog.component';
import { NoticeComponent } from '../../shared/components/notice.component';
import { formatTime } from '../../shared/format';

/**
 * The caller's own account (password, login sessions) and, for admins, the daemon's effective
 * configuration: read-only, as the API offers it (secrets redacted by the daemon).
 */
@Component({
  selector: 'bkg-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NoticeComponent, ConfirmDialogComponent],
  template: `
    <h1>Settings</h1>
    <div class="grid two">
      <form class="card form" (submit)="$event.preventDefault(); changePassword()" aria-labelledby="pw-title">
        <h2 id="pw-title">Password</h2>
        <p class="muted">Changing it ends every session of yours, this one too.</p>
        <div class="field"><label for="pw-current">Current password</label>
          <input id="pw-current" type="password" autocomplete="current-password" [value]="current()" (input)="current.set($any($event.target).value)" /></div>
        <div class="field"><label for="pw-new">New password (at least 12 characters)</label>
          <input id="pw-new" type="password" autocomplete="new-password" minlength="12" [value]="next()" (input)="next.set($any($event.target).value)" /></div>
        <button type="submit" class="btn primary" [disabled]="next().length < 12 || !current()">Change password</button>
        <bkg-notice [error]="pwError()" />
      </form>

      <section class="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Your sessions</h2>
        <bkg-notice [error]="sessionsError()" />
        <table class="table" data-testid="sessions">
          <thead><tr><th scope="col">Started</th><th scope="col">From</th><th scope="col">Expires</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>
            @for (s of sessions(); track s.id) {
              <tr><td>{{ time(s.createdAt) }} @if (s.current) { <span class="pill">this one</span> }</td><td>{{ s.ip ?? '–' }}</td><td>{{ time(s.expiresAt) }}</td>
                <td><button type="button" class="btn small danger" (click)="toRevoke.set(s)">{{ s.current ? 'Log out here' : 'Revoke' }}</button></td></tr>
            } @empty { <tr><td colspan="4" class="muted">No login sessions (API keys have none).</td></tr> }
          </tbody>
        </table>
      </section>
    </div>

    <section class="card" aria-labelledby="cfg-title">
      <h2 id="cfg-title">Daemon configuration</h2>
      @if (canConfig) {
        <bkg-notice [error]="configError()" />
        @if (config(); as c) {
          <p>bkgd {{ c.version }} on {{ c.databaseBackend }}. Read-only here: change the config file or the <code>BKG_*</code>
            environment and restart bkgd.</p>
          @for (section of sections(c); track section.name) {
            <details [open]="section.name === 'general'">
              <summary>{{ section.name }}</summary>
              <dl class="kv">@for (kv of section.entries; track kv[0]) { <div><dt>{{ kv[0] }}</dt><dd><code>{{ kv[1] }}</code></dd></div> }</dl>
            </details>
          }
        }
      } @else {
        <p class="muted">Only admins see the daemon's configuration.</p>
      }
    </section>
    <bkg-confirm-dialog [open]="toRevoke() !== null" [title]="toRevoke()?.current ? 'Log out of this session?' : 'Revoke this session?'"
      message="Its tokens stop working at once and its live connections close." confirmLabel="Revoke"
      (confirmed)="revoke()" (cancelled)="toRevoke.set(null)" />
  `,
})
export class SettingsComponent implements OnInit {
  private readonly admin = inject(AdminApiService);
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  protected readonly canConfig = this.auth.can('config:read');
  protected readonly current = signal('');
  protected readonly next = signal('');
  protected readonly pwError = signal<unknown>(null);
  protected readonly sessions = signal<SessionInfo[]>([]);
  protected readonly sessionsError = signal<unknown>(null);
  protected readonly toRevoke = signal<SessionInfo | null>(null);
  protected readonly config = signal<EffectiveConfig | null>(null);
  protected readonly configError = signal<unknown>(null);
  protected time = formatTime;

  ngOnInit(): void {
    void this.loadSessions();
    if (this.canConfig) this.admin.config().then((c) => this.config.set(c), (e: unknown) => this.configError.set(e));
  }

  private async loadSessions(): Promise<void> {
    try {
      this.sessions.set(await this.admin.sessions());
    } catch (e) {
      this.sessionsError.set(e);
    }
  }

  /** Top-level values under "general", each table as its own section, values as text. */
  protected sections(c: EffectiveConfig): { name: string; entries: [string, string][] }[] {
    const general: [string, string][] = [];
    const out: { name: string; entries: [string, string][] }[] = [{ name: 'general', entries: general }];
    for (const [k, v] of Object.entries(c.config as Record<string, unknown>)) {
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        out.push({ name: k, entries: Object.entries(v as Record<string, unknown>).map(([kk, vv]) => [kk, JSON.stringify(vv)]) });
      } else general.push([k, JSON.stringify(v)]);
    }
    return out;
  }

  protected async changePassword(): Promise<void> {
    this.pwError.set(null);
    try {
      await this.admin.changePassword(this.current(), this.next());
      await this.auth.logout();
      await this.router.navigate(['/login']);
    } catch (e) {
      this.pwError.set(e);
    }
  }

  protected async revoke(): Promise<void> {
    const s = this.toRevoke();
    this.toRevoke.set(null);
    if (!s) return;
    try {
      await this.admin.revokeSession(s.id);
      if (s.current) {
        await this.auth.logout();
        await this.router.navigate(['/login']);
        return;
      }
      await this.loadSessions();
    } catch (e) {
      this.sessionsError.set(e);
    }
  }
}
