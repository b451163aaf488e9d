import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { RouterLink } from '@angular/router';
import type { PluginDetail } from '../../core/api/types';
import { PluginApiService } from '../../core/services/plugin-api.service';
import { PluginStore } from '../../core/stores/plugin.store';
import { CapabilityRunnerComponent } from '../../shared/components/capability-runner.component';
import { NoticeComponent } from '../../shared/components/notice.component';
import { PluginConfigComponent } from '../../shared/components/plugin-config.component';
import { PluginHeaderComponent } from '../../shared/components/plugin-header.component';
import { PluginLogsComponent } from '../../shared/components/plugin-logs.component';
import { PluginStatsComponent } from '../../shared/components/plugin-stats.component';
import { ApikeysDashboardComponent } from '../core/plugins/apikeys/apikeys-dashboard.component';
import { BrainmlDashboardComponent } from '../core/plugins/brainml/brainml-dashboard.component';
import { CandleDashboardComponent } from '../core/plugins/candle/candle-dashboard.component';
import { LlmDashboardComponent } from '../core/plugins/llmserver/llm-dashboard.component';
import { RepoagentDashboardComponent } from '../core/plugins/repoagent/repoagent-dashboard.component';
import { RustyfaceDashboardComponent } from '../core/plugins/rustyface/rustyface-dashboard.component';

/** The six plugins bkg ships or will ship; their pages exist before they are installed. */
export const CORE_PLUGINS: Record<string, string> = {
  brainml: 'documents, embeddings, semantic search and classifiers',
  candle: 'loads models with candle, runs inference and tensor operations',
  llmserver: 'chat and embeddings, also as the OpenAI-compatible API',
  rustyface: 'face detection, enrolment and search',
  repoagent: 'analyses and searches local code repositories',
  apikeys: 'API key automation: issue, rotate by policy, audit',
};

/**
 * One plugin's dashboard, at `/plugins/<name>` and `/core/plugins/<name>`: header, the
 * plugin's own view (for the core plugins) or its capabilities, telemetry, logs, config.
 */
@Component({
  selector: 'bkg-plugin-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterLink,
    NoticeComponent,
    PluginHeaderComponent,
    PluginStatsComponent,
    PluginLogsComponent,
    PluginConfigComponent,
    CapabilityRunnerComponent,
    LlmDashboardComponent,
    BrainmlDashboardComponent,
    CandleDashboardComponent,
    RustyfaceDashboardComponent,
    RepoagentDashboardComponent,
    ApikeysDashboardComponent,
  ],
  template: `
    @if (!store.loaded()) {
      <p class="muted">Loading…</p>
    } @else if (plugin(); as p) {
      <bkg-plugin-header [plugin]="p" />
      <bkg-notice [error]="error()" />
      @if (detail(); as d) {
        @switch (p.id) {
          @case ('llmserver') { <bkg-llm-dashboard [plugin]="p" [detail]="d" /> }
          @case ('brainml') { <bkg-brainml-dashboard [plugin]="p" /> }
          @case ('candle') { <bkg-candle-dashboard [plugin]="p" /> }
          @case ('rustyface') { <bkg-rustyface-dashboard [plugin]="p" [capabilities]="d.capabilities" /> }
          @case ('repoagent') { <bkg-repoagent-dashboard [plugin]="p" [capabilities]="d.capabilities" /> }
          @case ('apikeys') { <bkg-apikeys-dashboard [plugin]="p" [capabilities]="d.capabilities" /> }
          @default { <bkg-capability-runner [pluginId]="p.id" [capabilities]="d.capabilities" /> }
        }
        <div class="grid two">
          <bkg-plugin-stats [pluginId]="p.id" />
          <bkg-plugin-config [detail]="d" />
        </div>
      }
      <bkg-plugin-logs [pluginId]="p.id" />
    } @else if (core()) {
      <h1>{{ name() }}</h1>
      <section class="card not-installed" data-testid="not-installed">
        <h2>Not installed</h2>
        <p>The <strong>{{ name() }}</strong> plugin ({{ core() }}) is not installed on this bkgd.
          Once its manifest is in the plugins directory and bkgd has loaded it, its dashboard appears here.</p>
        <p><a routerLink="/plugins">See the installed plugins</a></p>
      </section>
    } @else {
      <h1>No such plugin</h1>
      <p role="alert">bkgd has no plugin named <code>{{ name() }}</code>. <a routerLink="/plugins">See the installed plugins</a></p>
    }
  `,
})
export class PluginPageComponent {
  readonly name = input.required<string>();
  protected readonly store = inject(PluginStore);
  private readonly api = inject(PluginApiService);
  protected readonly plugin = computed(() => this.store.plugin(this.name())());
  protected readonly core = computed(() => CORE_PLUGINS[this.name()] ?? '');
  protected readonly detail = signal<PluginDetail | null>(null);
  protected readonly error = signal<unknown>(null);

  constructor() {
    const title = inject(Title);
    void this.store.load();
    // Capabilities come from the running instance's handshake: reload when the state changes.
    const state = computed(() => this.plugin()?.status ?? null);
    effect(() => {
      title.setTitle(`${this.name()} · bkg`);
      void this.loadDetail(this.name(), state());
    });
  }

  private async loadDetail(name: string, state: string | null): Promise<void> {
    if (state === null || state === 'starting' || state === 'stopping') return;
    try {
      this.detail.set(await this.api.detail(name));
    } catch (e) {
      this.error.set(e);
    }
  }
}
