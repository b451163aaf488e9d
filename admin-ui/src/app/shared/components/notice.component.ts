import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { toShownError } from '../../core/api/errors';

/**
 * An error (or a note) as a readable message: a 403 says which permission is missing, a 401
 * that the session ended, anything else the daemon's message with its code.
 */
@Component({
  selector: 'bkg-notice',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (shown(); as s) {
      <div class="notice" [class.error]="s.kind === 'error'" role="alert">
        <strong>{{ s.title }}</strong> {{ s.text }}
      </div>
    }
  `,
})
export class NoticeComponent {
  readonly error = input<unknown>(null);
  protected readonly shown = computed(() => {
    const err = this.error();
    if (err === null || err === undefined) return null;
    const e = toShownError(err);
    if (e.status === 403 || e.code === 'forbidden') {
      return { kind: 'error', title: 'Not allowed:', text: `${e.message}. Ask an admin for a role that grants it.` };
    }
    if (e.status === 401) return { kind: 'error', title: 'Signed out:', text: 'your session ended; log in again.' };
    return { kind: 'error', title: 'Error:', text: `${e.message} (${e.code})` };
  });
}
