import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import type { PluginSummary } from '../../core/api/types';
import { AuthStore } from '../../core/auth/auth.store';
import type { Lifecycle } from '../../core/services/plugin-api.service';
import { PluginStore } from '../../core/stores/plugin.store';
import { TelemetryStore } from '../../core/stores/telemetry.store';
import { ConfirmDialogComponent } from './confirm-dialog.component';
import { NoticeComponent } from './notice.component';
import { StatusBadgeComponent } from './status-badge.component';
import { formatDuration } from '../format';

/** A plugin's name, live status and lifecycle buttons (stop and restart ask first). */
@Component({
  selector: 'bkg-plugin-header',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [StatusBadgeComponent, ConfirmDialogComponent, NoticeComponent],
  template: `
    <header class="plugin-header">
      <div>
        <h1>{{ plugin().name }} <small class="muted">{{ plugin().id }} · v{{ plugin().version }}</small></h1>
        <p class="muted">{{ plugin().description }}</p>
      </div>
      <div class="row">
        <bkg-status-badge [status]="plugin().status" />
        @if (plugin().status === 'running' && uptime()) {
          <span class="muted">up {{ uptime() }}</span>
        }
        @if (canControl) {
          @if (plugin().status === 'running' || plugin().status === 'starting' || plugin().status === 'backoff') {
            <button type="button" class="btn" [disabled]="busy()" (click)="ask.set('restart')">Restart</button>
            <button type="button" class="btn danger" [disabled]="busy()" (click)="ask.set('stop')">Stop</button>
          } @else {
            <button type="button" class="btn primary" [disabled]="busy()" (click)="run('start')">Start</button>
          }
        }
      </div>
    </header>
    <bkg-notice [error]="error()" />
    <bkg-confirm-dialog
      [open]="ask() !== null"
      [title]="ask() === 'stop' ? 'Stop ' + plugin().name + '?' : 'Restart ' + plugin().name + '?'"
      [message]="ask() === 'stop' ? 'Calls in flight are cancelled and the plugin stays stopped until started again.' : 'A new instance takes over once it is ready; calls in flight finish on the old one.'"
      [confirmLabel]="ask() === 'stop' ? 'Stop' : 'Restart'"
      (confirmed)="confirm()"
      (cancelled)="ask.set(null)"
    />
  `,
})
export class PluginHeaderComponent {
  readonly plugin = input.required<PluginSummary>();
  private readonly store = inject(PluginStore);
  private readonly telemetry = inject(TelemetryStore);
  protected readonly canControl = inject(AuthStore).can('plugins:lifecycle');
  protected readonly ask = signal<Lifecycle | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<unknown>(null);

  /** From the newest telemetry sample (live), not the list's snapshot. */
  protected readonly uptime = computed(() => {
    const s = this.telemetry.samples(this.plugin().id)();
    return s.length ? formatDuration(s[s.length - 1].uptime) : '';
  });

  protected confirm(): void {
    const action = this.ask();
    this.ask.set(null);
    if (action) void this.run(action);
  }

  protected async run(action: Lifecycle): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.store.lifecycle(this.plugin().id, action);
    } catch (e) {
      this.error.set(e);
    } finally {
      this.busy.set(false);
    }
  }
}
