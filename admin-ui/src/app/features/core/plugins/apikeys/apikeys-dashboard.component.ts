import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { CapabilitySpec, PluginSummary } from '../../../../core/api/types';
import { CapabilityRunnerComponent } from '../../../../shared/components/capability-runner.component';

/**
 * apikeys (issues and rotates API keys by policy with a scoped service key, and queries their audit trail). Its capabilities (keys.issue, keys.rotate, keys.audit) are offered through forms generated from their input
 * schemas, so the view follows the plugin's manifest as it is installed; until the plugin
 * exists, the page shows its "not installed" state instead (see PluginPageComponent).
 */
@Component({
  selector: 'bkg-apikeys-dashboard',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CapabilityRunnerComponent],
  template: `
    @if (plugin().status !== 'running') { <p class="muted">Start the plugin to use its capabilities.</p> }
    <bkg-capability-runner [pluginId]="plugin().id" [capabilities]="capabilities()" />
  `,
})
export class ApikeysDashboardComponent {
  readonly plugin = input.required<PluginSummary>();
  readonly capabilities = input.required<CapabilitySpec[]>();
}
