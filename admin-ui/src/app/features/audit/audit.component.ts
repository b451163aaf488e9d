import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import type { AuditEvent } from '../../core/api/types';
import { AdminApiService, type AuditFilter } from '../../core/services/admin-api.service';
import { NoticeComponent } from '../../shared/components/notice.component';
import { StatusBadgeComponent } from '../../shared/components/status-badge.component';
import { formatTime } from '../../shared/format';

const LIVE_MS = 3000;
const PAGE = 100;

/**
 * The audit log, newest first, filtered by actor, action (or `prefix.`) and target, with
 * older pages on demand. Live: new events appear while the page is open (polled every few
 * seconds from the newest id; the audit log has no WebSocket topic).
 */
@Component({
  selector: 'bkg-audit',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NoticeComponent, StatusBadgeComponent],
  template: `
    <h1>Audit log</h1>
    <form class="card form" (submit)="$event.preventDefault(); reload()" aria-label="Filter">
      <div class="row wrap-row">
        <label>Actor <input [value]="actor()" (input)="actor.set($any($event.target).value)" /></label>
        <label>Action <input [value]="action()" (input)="action.set($any($event.target).value)" placeholder="key. or auth.login" /></label>
        <label>Target <input [value]="target()" (input)="target.set($any($event.target).value)" /></label>
        <label>Since <input [value]="since()" (input)="since.set($any($event.target).value)" placeholder="24h" /></label>
        <button type="submit" class="btn primary">Filter</button>
        <label class="check"><input type="checkbox" [checked]="live()" (change)="live.set($any($event.target).checked)" /> Live</label>
      </div>
    </form>
    <bkg-notice [error]="error()" />
    <div class="table-scroll" tabindex="0" role="region" aria-label="Audit events">
    <table class="table" data-testid="audit-table">
      <thead><tr><th scope="col">Time</th><th scope="col">Action</th><th scope="col">Actor</th><th scope="col">Target</th><th scope="col">Outcome</th><th scope="col">From</th><th scope="col">Details</th></tr></thead>
      <tbody>
        @for (e of events(); track e.id) {
          <tr><td>{{ time(e.ts) }}</td><td>{{ e.action }}</td><td>{{ e.actor ?? '–' }}</td><td>{{ e.target ?? '–' }}</td>
            <td><bkg-status-badge [status]="e.outcome" /></td><td>{{ e.ip ?? '–' }}</td><td><code>{{ json(e.details) }}</code></td></tr>
        } @empty { <tr><td colspan="7" class="muted">No events match.</td></tr> }
      </tbody>
    </table>
    </div>
    @if (next() !== null) { <button type="button" class="btn" (click)="older()">Older events</button> }
  `,
})
export class AuditComponent {
  private readonly api = inject(AdminApiService);
  protected readonly actor = signal('');
  protected readonly action = signal('');
  protected readonly target = signal('');
  protected readonly since = signal('');
  protected readonly live = signal(true);
  protected readonly events = signal<AuditEvent[]>([]);
  protected readonly next = signal<number | null>(null);
  protected readonly error = signal<unknown>(null);
  protected time = formatTime;
  protected json = (v: unknown) => JSON.stringify(v);

  constructor() {
    void this.reload();
    const timer = setInterval(() => {
      if (this.live()) void this.poll();
    }, LIVE_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  private filter(): AuditFilter {
    return { actor: this.actor() || undefined, action: this.action() || undefined, target: this.target() || undefined, since: this.since() || undefined };
  }

  protected async reload(): Promise<void> {
    this.error.set(null);
    try {
      const page = await this.api.audit({ ...this.filter(), limit: PAGE });
      this.events.set(page.events);
      this.next.set(page.next ?? null);
    } catch (e) {
      this.error.set(e);
    }
  }

  protected async older(): Promise<void> {
    const before = this.next();
    if (before === null) return;
    try {
      const page = await this.api.audit({ ...this.filter(), limit: PAGE, before });
      this.events.update((es) => [...es, ...page.events]);
      this.next.set(page.next ?? null);
    } catch (e) {
      this.error.set(e);
    }
  }

  /** Prepends events newer than the newest shown. */
  private async poll(): Promise<void> {
    const newest = this.events()[0]?.id ?? 0;
    try {
      const page = await this.api.audit({ ...this.filter(), limit: PAGE });
      const fresh = page.events.filter((e) => e.id > newest);
      if (fresh.length) this.events.update((es) => [...fresh, ...es]);
    } catch {
      /* the next poll tries again; the connection indicator shows when bkgd is away */
    }
  }
}
