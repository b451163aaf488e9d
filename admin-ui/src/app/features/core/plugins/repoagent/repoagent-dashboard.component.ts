import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { CapabilitySpec, PluginSummary } from '../../../../core/api/types';
import { CapabilityRunnerComponent } from '../../../../shared/components/capability-runner.component';

/**
 * repoagent (analyses a local repository (languages, files, lines, symbols) and searches it (regex and semantic)). Its capabilities (code.analyze, code.search) are offered through forms generated from their input
 * schemas, so the view follows the plugin's manifest as it is installed; until the plugin
 * exists, the page shows its "not installed" state instead (see PluginPageComponent).
 */
@Component({
  selector: 'bkg-repoagent-dashboard',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CapabilityRunnerComponent],
  template: `
    @if (plugin().status !== 'running') { <p class="muted">Start the plugin to use its capabilities.</p> }
    <bkg-capability-runner [pluginId]="plugin().id" [capabilities]="capabilities()" />
  `,
})
export class RepoagentDashboardComponent {
  readonly plugin = input.required<PluginSummary>();
  readonly capabilities = input.required<CapabilitySpec[]>();
}
