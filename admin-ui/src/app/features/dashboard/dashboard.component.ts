import { ChangeDetectionStrategy, Component, computed, inject, signal, type OnInit } from '@angular/core';
import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import type uPlot from 'uplot';
import type { AuditEvent, Health, UsageReport } from '../../core/api/types';
import { AuthStore } from '../../core/auth/auth.store';
import { AdminApiService } from '../../core/services/admin-api.service';
import { ModelsStore } from '../../core/stores/models.store';
import { PluginStore } from '../../core/stores/plugin.store';
import { TelemetryStore } from '../../core/stores/telemetry.store';
import { ChartComponent, type ChartSeries } from '../../shared/components/chart.component';
import { NoticeComponent } from '../../shared/components/notice.component';
import { SparklineComponent } from '../../shared/components/sparkline.component';
import { StatusBadgeComponent } from '../../shared/components/status-badge.component';
import { formatBytes, formatTime } from '../../shared/format';
import { byOutcome, invocationSeries, perPlugin } from './usage';

/**
 * The overview: every plugin with status and cpu/memory sparklines, health, running downloads,
 * recent audit events and usage (per plugin, last 24 hours and 7 days), each shown only to
 * roles that may read it.
 */
@Component({
  selector: 'bkg-dashboard',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, StatusBadgeComponent, SparklineComponent, ChartComponent, NoticeComponent],
  template: `
    <h1>Dashboard</h1>
    <div class="grid two">
      <section class="card" aria-labelledby="health-title">
        <h2 id="health-title">Health</h2>
        @if (health(); as h) {
          <p><bkg-status-badge [status]="h.status" /> bkgd {{ h.version }}@if (h.commit) { <span class="muted">(commit {{ h.commit }})</span> }</p>
          <ul class="checks">@for (c of h.checks; track c.name) { <li>{{ c.ok ? '✓' : '✗' }} {{ c.name }} {{ c.message ?? '' }}</li> }</ul>
        } @else { <bkg-notice [error]="healthError()" /> }
        <p class="muted">{{ plugins.running() }} of {{ plugins.plugins().length }} plugins running</p>
      </section>
      @if (canModels) {
        <section class="card" aria-labelledby="dl-title">
          <h2 id="dl-title">Downloads</h2>
          @for (m of models.active(); track m.id) {
            <p>{{ m.repo }} <bkg-status-badge [status]="m.status" />
              <progress [value]="m.progress.bytesDone" [max]="m.progress.bytesTotal || 1" [attr.aria-label]="'Progress of ' + m.repo"></progress>
              {{ bytes(m.progress.bytesDone) }} / {{ bytes(m.progress.bytesTotal) }}</p>
          } @empty { <p class="muted">No download running. <a routerLink="/models">Models</a></p> }
        </section>
      }
    </div>

    <section class="card" aria-labelledby="plugins-title">
      <h2 id="plugins-title">Plugins</h2>
      <table class="table">
        <thead><tr><th scope="col">Plugin</th><th scope="col">Status</th><th scope="col">CPU</th><th scope="col">Memory</th></tr></thead>
        <tbody>
          @for (p of plugins.plugins(); track p.id) {
            <tr>
              <td><a [routerLink]="['/plugins', p.id]">{{ p.name }}</a></td>
              <td><bkg-status-badge [status]="p.status" /></td>
              <td class="spark-cell"><bkg-sparkline [values]="cpu(p.id)" [label]="'CPU of ' + p.id" /> {{ lastCpu(p.id) }}</td>
              <td class="spark-cell"><bkg-sparkline [values]="mem(p.id)" [label]="'Memory of ' + p.id" /> {{ lastMem(p.id) }}</td>
            </tr>
          }
        </tbody>
      </table>
    </section>

    @if (canUsage) {
      <section class="card" aria-labelledby="usage-title">
        <h2 id="usage-title">Usage</h2>
        <bkg-notice [error]="usageError()" />
        @if (day(); as d) {
          <bkg-chart title="Invocations per hour, last 24 hours" [series]="usageSeries" [data]="dayChart()" [height]="120" />
          <div class="table-scroll" tabindex="0" role="region" aria-label="Usage per plugin">
          <table class="table" data-testid="usage">
            <thead><tr><th scope="col">Plugin</th><th scope="col">Calls 24 h</th><th scope="col">Failed 24 h</th><th scope="col">Calls 7 d</th>
              <th scope="col">Tokens 7 d</th><th scope="col">Embeddings 7 d</th><th scope="col">Slow (≥ 1 s) 7 d</th></tr></thead>
            <tbody>
              @for (u of weekPlugins(); track u.plugin) {
                <tr><td>{{ u.plugin }}</td><td>{{ dayPlugins().get(u.plugin)?.invocations ?? 0 }}</td><td>{{ dayPlugins().get(u.plugin)?.failures ?? 0 }}</td>
                  <td>{{ u.invocations }}</td><td>{{ u.tokens }}</td><td>{{ u.embeddings }}</td><td>{{ u.slow }}</td></tr>
              } @empty { <tr><td colspan="7" class="muted">No invocations in the last 7 days.</td></tr> }
            </tbody>
          </table>
          </div>
          <p class="muted">Last 7 days: {{ logins().success }} logins ({{ logins().failure }} failed),
            {{ downloads().success }} model downloads ({{ downloads().failure }} failed). Kept {{ d.retentionDays }} days.</p>
        }
      </section>
    }

    @if (canAudit) {
      <section class="card" aria-labelledby="audit-title">
        <h2 id="audit-title">Recent audit events</h2>
        <ul class="events">
          @for (e of audit(); track e.id) {
            <li><time>{{ time(e.ts) }}</time> <strong>{{ e.action }}</strong> {{ e.actor ?? 'anonymous' }} {{ e.target ?? '' }}
              <bkg-status-badge [status]="e.outcome" /></li>
          } @empty { <li class="muted">No events.</li> }
        </ul>
        <a routerLink="/audit">All audit events</a>
      </section>
    }
  `,
})
export class DashboardComponent implements OnInit {
  protected readonly plugins = inject(PluginStore);
  protected readonly models = inject(ModelsStore);
  private readonly telemetry = inject(TelemetryStore);
  private readonly admin = inject(AdminApiService);
  private readonly http = inject(HttpClient);
  private readonly auth = inject(AuthStore);
  protected readonly canModels = this.auth.can('models:read');
  protected readonly canUsage = this.auth.can('analytics:read');
  protected readonly canAudit = this.auth.can('audit:read');

  protected readonly health = signal<Health | null>(null);
  protected readonly healthError = signal<unknown>(null);
  protected readonly audit = signal<AuditEvent[]>([]);
  protected readonly day = signal<UsageReport | null>(null);
  protected readonly week = signal<UsageReport | null>(null);
  protected readonly usageError = signal<unknown>(null);
  protected readonly usageSeries: ChartSeries[] = [{ label: 'calls' }, { label: 'failed' }];
  protected readonly dayChart = computed<uPlot.AlignedData>(() => {
    const d = this.day();
    if (!d) return [[], [], []];
    return invocationSeries(d.points, Date.parse(d.since) / 1000, Date.parse(d.until) / 1000, 3600);
  });
  protected readonly dayPlugins = computed(() => new Map(perPlugin(this.day()?.points ?? []).map((u) => [u.plugin, u])));
  protected readonly weekPlugins = computed(() => perPlugin(this.week()?.points ?? []));
  protected readonly logins = computed(() => byOutcome(this.week()?.points ?? [], 'logins'));
  protected readonly downloads = computed(() => byOutcome(this.week()?.points ?? [], 'model_downloads'));

  protected bytes = formatBytes;
  protected time = formatTime;

  ngOnInit(): void {
    void this.plugins.load();
    void this.telemetry.watch();
    if (this.canModels) void this.models.load();
    // Not ready is a 503 whose body still says which check failed.
    firstValueFrom(this.http.get<Health>('/readyz')).then(
      (h) => this.health.set(h),
      (e: unknown) =>
        e instanceof HttpErrorResponse && e.status === 503 && e.error?.checks ? this.health.set(e.error as Health) : this.healthError.set(e),
    );
    if (this.canAudit) this.admin.audit({ limit: 8 }).then((p) => this.audit.set(p.events), () => undefined);
    if (this.canUsage) {
      this.admin.usage({ since: '24h', interval: 'hour' }).then((r) => this.day.set(r), (e: unknown) => this.usageError.set(e));
      this.admin.usage({ since: '7d', interval: 'day' }).then((r) => this.week.set(r), (e: unknown) => this.usageError.set(e));
    }
  }

  protected cpu(id: string): number[] {
    return this.telemetry.samples(id)().slice(-60).map((s) => s.cpu);
  }
  protected mem(id: string): number[] {
    return this.telemetry.samples(id)().slice(-60).map((s) => s.mem);
  }
  protected lastCpu(id: string): string {
    const t = this.telemetry.latest(id);
    return t ? `${t.cpu.toFixed(1)} %` : '';
  }
  protected lastMem(id: string): string {
    const t = this.telemetry.latest(id);
    return t ? formatBytes(t.mem) : '';
  }
}
