import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { NodeInfo } from '../../core/api/types';
import { NodesApiService } from '../../core/services/nodes-api.service';
import { NoticeComponent } from '../../shared/components/notice.component';
import { StatusBadgeComponent } from '../../shared/components/status-badge.component';
import { formatTime } from '../../shared/format';
import { remotePluginUrl, runningCount, seenAgo } from './nodes';

/** How often the page asks again while it is open (nodes have no WebSocket topic). */
export const POLL_MS = 2000;

/**
 * Every bkgd on this server's database (one on SQLite): state, URL, build, start and last
 * heartbeat, and each node's plugins as it last reported them. Plugins run per node and nodes
 * do not proxy, so another node's plugins link to that node's own web UI.
 */
@Component({
  selector: 'bkg-nodes',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, NoticeComponent, StatusBadgeComponent],
  template: `
    <h1>Nodes</h1>
    <p class="muted">Every bkgd sharing this server's database; refreshed every {{ pollSeconds }} s.</p>
    <bkg-notice [error]="error()" />
    @for (n of nodes(); track n.id) {
      <section class="card" [attr.data-node]="n.name" [attr.aria-labelledby]="'node-' + n.id">
        <h2 [id]="'node-' + n.id" class="row">
          {{ n.name }} <bkg-status-badge [status]="n.state" />
          @if (n.current) { <span class="pill" data-testid="current">this server</span> }
        </h2>
        <dl class="kv">
          <div><dt>URL</dt><dd><a [href]="n.url">{{ n.url }}</a></dd></div>
          <div><dt>Version</dt><dd>{{ n.version }} <span class="muted">(commit {{ n.commit || 'unknown' }})</span></dd></div>
          <div><dt>Started</dt><dd>{{ time(n.startedAt) }}</dd></div>
          <div><dt>Last seen</dt><dd data-testid="last-seen"><time [attr.datetime]="n.lastSeen" [title]="time(n.lastSeen)">{{ ago(n) ?? time(n.lastSeen) }}</time></dd></div>
          <div><dt>Plugins running</dt><dd>{{ running(n) }} of {{ n.plugins.length }}</dd></div>
        </dl>
        @if (!n.current) {
          <p class="notice" data-testid="elsewhere">Its plugins are acted on through its own URL, <a [href]="n.url">{{ n.url }}</a>; this server only shows them as {{ n.name }} last reported.</p>
        }
        <div class="table-scroll" tabindex="0" role="region" [attr.aria-label]="'Plugins on ' + n.name">
        <table class="table">
          <thead><tr><th scope="col">Plugin</th><th scope="col">Status</th></tr></thead>
          <tbody>
            @for (p of n.plugins; track p.id) {
              <tr [attr.data-plugin]="p.id">
                <td>@if (n.current) { <a [routerLink]="['/plugins', p.id]">{{ p.id }}</a> } @else { <a [href]="remote(n, p.id)">{{ p.id }}</a> }</td>
                <td><bkg-status-badge [status]="p.status" /></td>
              </tr>
            } @empty { <tr><td colspan="2" class="muted">No plugins.</td></tr> }
          </tbody>
        </table>
        </div>
      </section>
    } @empty {
      @if (loaded() && !error()) { <p class="muted">No nodes.</p> }
    }
  `,
})
export class NodesComponent {
  private readonly api = inject(NodesApiService);
  protected readonly nodes = signal<NodeInfo[]>([]);
  protected readonly loaded = signal(false);
  protected readonly error = signal<unknown>(null);
  protected readonly pollSeconds = POLL_MS / 1000;
  protected time = formatTime;
  protected running = runningCount;
  protected remote = remotePluginUrl;
  protected ago = (n: NodeInfo) => seenAgo(n, this.nodes());
  private inFlight = false;

  constructor() {
    void this.load();
    const timer = setInterval(() => void this.load(), POLL_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  /**
   * Replaces the list with the daemon's answer. A failed request shows its error until one
   * succeeds; a slow one is not overtaken by the next poll.
   */
  private async load(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      this.nodes.set(await this.api.list());
      this.error.set(null);
    } catch (e) {
      this.error.set(e);
    } finally {
      this.inFlight = false;
      this.loaded.set(true);
    }
  }
}
