import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/** A plugin's, model's or node's state as a coloured, labelled badge (colour is never the only cue). */
@Component({
  selector: 'bkg-status-badge',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span class="badge" [class]="'badge badge-' + tone()" [attr.data-status]="status()">{{ status() }}</span>`,
})
export class StatusBadgeComponent {
  readonly status = input.required<string>();
  protected readonly tone = computed(() => {
    switch (this.status()) {
      case 'running':
      case 'up':
      case 'ready':
      case 'success':
        return 'ok';
      case 'starting':
      case 'stopping':
      case 'queued':
      case 'downloading':
      case 'verifying':
      case 'backoff':
        return 'busy';
      case 'failed':
      case 'down':
      case 'invalid':
      case 'failure':
      case 'not ready':
        return 'bad';
      default:
        return 'idle';
    }
  });
}
