import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { CapabilitySpec, PluginSummary } from '../../../../core/api/types';
import { CapabilityRunnerComponent } from '../../../../shared/components/capability-runner.component';

/**
 * rustyface (detects faces in an image, returns boxes and encodings, enrols identities and
 * searches the nearest ones). Its capabilities (faces.encode, faces.search, dataset.manage,
 * stats) are offered through forms generated from their input schemas, so the view follows the
 * plugin's manifest as it is installed; where it is not installed, the page shows its "not
 * installed" state instead (see PluginPageComponent).
 */
@Component({
  selector: 'bkg-rustyface-dashboard',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CapabilityRunnerComponent],
  template: `
    @if (plugin().status !== 'running') { <p class="muted">Start the plugin to use its capabilities.</p> }
    <bkg-capability-runner [pluginId]="plugin().id" [capabilities]="capabilities()" />
  `,
})
export class RustyfaceDashboardComponent {
  readonly plugin = input.required<PluginSummary>();
  readonly capabilities = input.required<CapabilitySpec[]>();
}
