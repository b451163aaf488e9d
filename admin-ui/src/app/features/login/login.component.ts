import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { Router } from '@angular/router';
import { toShownError } from '../../core/api/errors';
import { AuthStore } from '../../core/auth/auth.store';

@Component({
  selector: 'bkg-login',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="login">
      <form class="card form" (submit)="$event.preventDefault(); submit()">
        <h1>bkg</h1>
        <p class="muted">Log in to manage plugins, models and keys.</p>
        <div class="field">
          <label for="username">Username</label>
          <input id="username" name="username" autocomplete="username" required [value]="username()"
                 (input)="username.set($any($event.target).value)" />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required [value]="password()"
                 (input)="password.set($any($event.target).value)" />
        </div>
        @if (error()) { <p class="field-error" role="alert">{{ error() }}</p> }
        <button type="submit" class="btn primary" [disabled]="busy()">Log in</button>
      </form>
    </main>
  `,
})
export class LoginComponent {
  readonly returnUrl = input('/');
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  protected readonly username = signal('');
  protected readonly password = signal('');
  protected readonly error = signal('');
  protected readonly busy = signal(false);

  protected async submit(): Promise<void> {
    this.error.set('');
    if (!this.username() || !this.password()) {
      this.error.set('Enter a username and a password.');
      return;
    }
    this.busy.set(true);
    try {
      await this.auth.login(this.username(), this.password());
      const target = this.returnUrl() && this.returnUrl().startsWith('/') && !this.returnUrl().startsWith('//') ? this.returnUrl() : '/';
      await this.router.navigateByUrl(target);
    } catch (e) {
      const s = toShownError(e);
      this.error.set(s.status === 401 ? 'Wrong username or password.' : s.message);
    } finally {
      this.busy.set(false);
    }
  }
}
