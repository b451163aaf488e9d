import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { PluginStore } from '../../core/stores/plugin.store';
import { NoticeComponent } from '../../shared/components/notice.component';
import { StatusBadgeComponent } from '../../shared/components/status-badge.component';
import { formatDuration } from '../../shared/format';
import { CORE_PLUGINS } from './plugin-page.component';

/**
 * Every plugin of this server with its live status and node (the bkgd running it; the Nodes
 * page lists the other nodes' plugins), and the core plugins that are not installed.
 */
@Component({
  selector: 'bkg-plugin-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, StatusBadgeComponent, NoticeComponent],
  template: `
    <h1>Plugins</h1>
    <bkg-notice [error]="store.error()" />
    <table class="table" data-testid="plugin-table">
      <thead><tr><th scope="col">Plugin</th><th scope="col">Status</th><th scope="col">Uptime</th><th scope="col">Restarts</th><th scope="col">Version</th><th scope="col">Source</th><th scope="col">Node</th></tr></thead>
      <tbody>
        @for (p of store.plugins(); track p.id) {
          <tr [attr.data-plugin]="p.id">
            <td><a [routerLink]="['/plugins', p.id]">{{ p.name }}</a>&ngsp;<small class="muted">{{ p.id }}</small></td>
            <td><bkg-status-badge [status]="p.status" /></td>
            <td>{{ p.status === 'running' ? duration(p.uptime) : '–' }}</td>
            <td>{{ p.restarts }}</td>
            <td>{{ p.version }}</td>
            <td>{{ p.source }}</td>
            <td data-testid="node">{{ p.node || '–' }}</td>
          </tr>
        } @empty {
          @if (store.loaded()) { <tr><td colspan="7" class="muted">No plugins.</td></tr> }
        }
      </tbody>
    </table>
    @if (missing().length) {
      <h2>Not installed</h2>
      <ul>
        @for (m of missing(); track m) { <li><a [routerLink]="['/core/plugins', m]">{{ m }}</a>: {{ core[m] }}</li> }
      </ul>
    }
  `,
})
export class PluginListComponent {
  protected readonly store = inject(PluginStore);
  protected readonly core = CORE_PLUGINS;
  protected duration = formatDuration;

  constructor() {
    void this.store.load();
  }

  protected missing(): string[] {
    const have = new Set(this.store.plugins().map((p) => p.id));
    return Object.keys(CORE_PLUGINS).filter((id) => !have.has(id));
  }
}
