import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { AuthStore } from '../../core/auth/auth.store';

/** Where a page the role may not open leads: says what is missing, never a blank page. */
@Component({
  selector: 'bkg-forbidden',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    <h1>Not allowed</h1>
    <p role="alert">
      {{ page() || 'This page' }} needs the permission <code>{{ need() }}</code>, which your role
      <strong>{{ auth.role() }}</strong> does not grant. Ask an admin for another role.
    </p>
    <p><a routerLink="/">Back to the dashboard</a></p>
  `,
})
export class ForbiddenComponent {
  readonly need = input('');
  readonly page = input('');
  protected readonly auth = inject(AuthStore);
}
