import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import type { Role, User } from '../../core/api/types';
import { AuthStore } from '../../core/auth/auth.store';
import { AdminApiService } from '../../core/services/admin-api.service';
import { ConfirmDialogComponent } from '../../shared/components/confirm-dialog.component';
import { NoticeComponent } from '../../shared/components/notice.component';
import { formatTime } from '../../shared/format';
import { attempt } from '../../shared/attempt';

const ROLES: Role[] = ['readonly', 'developer', 'admin'];

/** Users: list, create, change role, disable, reset password, delete (confirmed). */
@Component({
  selector: 'bkg-users',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NoticeComponent, ConfirmDialogComponent],
  template: `
    <h1>Users</h1>
    <bkg-notice [error]="error()" />
    @if (canWrite) {
      <form class="card form inline" (submit)="$event.preventDefault(); create()" aria-labelledby="new-user-title">
        <h2 id="new-user-title">New user</h2>
        <div class="row wrap-row">
          <label>Username <input name="new-username" [value]="username()" (input)="username.set($any($event.target).value)" /></label>
          <label>Password <input name="new-password" type="password" autocomplete="new-password" [value]="password()" (input)="password.set($any($event.target).value)" /></label>
          <label>Role <select [value]="role()" (change)="role.set($any($event.target).value)">@for (r of roles; track r) { <option [value]="r">{{ r }}</option> }</select></label>
          <button type="submit" class="btn primary">Create user</button>
        </div>
      </form>
    }
    <div class="table-scroll" tabindex="0" role="region" aria-label="Users">
    <table class="table" data-testid="users-table">
      <thead><tr><th scope="col">User</th><th scope="col">Role</th><th scope="col">State</th><th scope="col">Created</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
      <tbody>
        @for (u of users(); track u.id) {
          <tr [attr.data-user]="u.username">
            <td>{{ u.username }}</td>
            <td>@if (canWrite) {
                <select [value]="u.role" (change)="update(u, { role: $any($event.target).value })" [attr.aria-label]="'Role of ' + u.username">
                  @for (r of roles; track r) { <option [value]="r">{{ r }}</option> }</select>
              } @else { {{ u.role }} }</td>
            <td>{{ u.disabled ? 'disabled' : 'active' }}</td>
            <td>{{ time(u.createdAt) }}</td>
            <td class="actions">@if (canWrite) {
              <button type="button" class="btn small" (click)="update(u, { disabled: !u.disabled })">{{ u.disabled ? 'Enable' : 'Disable' }}</button>
              <button type="button" class="btn small danger" (click)="toDelete.set(u)" [attr.aria-label]="'Delete ' + u.username">Delete</button>
            }</td>
          </tr>
        }
      </tbody>
    </table>
    </div>
    <bkg-confirm-dialog [open]="toDelete() !== null" [title]="'Delete ' + (toDelete()?.username ?? '') + '?'"
      message="The user, their sessions and their API keys are removed." confirmLabel="Delete"
      (confirmed)="remove()" (cancelled)="toDelete.set(null)" />
  `,
})
export class UsersComponent {
  private readonly api = inject(AdminApiService);
  protected readonly canWrite = inject(AuthStore).can('users:write');
  protected readonly roles = ROLES;
  protected readonly users = signal<User[]>([]);
  protected readonly username = signal('');
  protected readonly password = signal('');
  protected readonly role = signal<Role>('readonly');
  protected readonly error = signal<unknown>(null);
  protected readonly toDelete = signal<User | null>(null);
  protected time = formatTime;

  constructor() {
    void this.load();
  }

  /** Reloads the list; an error is added to the view's, never clears it. */
  private async load(): Promise<void> {
    try {
      this.users.set(await this.api.users());
    } catch (e) {
      this.error.set(e);
    }
  }

  private async act(f: () => Promise<unknown>): Promise<void> {
    await attempt(this.error, f);
    await this.load();
  }

  protected create(): Promise<void> {
    return this.act(async () => {
      await this.api.createUser({ username: this.username().trim(), password: this.password(), role: this.role() });
      this.username.set('');
      this.password.set('');
    });
  }

  protected update(u: User, change: { role?: Role; disabled?: boolean }): Promise<void> {
    return this.act(() => this.api.updateUser(u.id, change));
  }

  protected remove(): Promise<void> {
    const u = this.toDelete();
    this.toDelete.set(null);
    return u ? this.act(() => this.api.deleteUser(u.id)) : Promise.resolve();
  }
}
