import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import type { Permission } from '../../core/api/types';
import { AuthStore } from '../../core/auth/auth.store';
import { ThemeService } from '../../core/services/theme.service';
import { WsService } from '../../core/services/ws.service';
import { PluginStore } from '../../core/stores/plugin.store';
import { TelemetryStore } from '../../core/stores/telemetry.store';

interface NavItem {
  path: string;
  label: string;
  needs?: Permission;
}

const NAV: NavItem[] = [
  { path: '/', label: 'Dashboard' },
  { path: '/plugins', label: 'Plugins', needs: 'plugins:read' },
  { path: '/nodes', label: 'Nodes', needs: 'plugins:read' },
  { path: '/models', label: 'Models', needs: 'models:read' },
  { path: '/api-keys', label: 'API keys', needs: 'keys:own' },
  { path: '/users', label: 'Users', needs: 'users:read' },
  { path: '/audit', label: 'Audit', needs: 'audit:read' },
  { path: '/settings', label: 'Settings' },
];

/** The frame of every page after login: navigation (only what the role may open), live state. */
@Component({
  selector: 'bkg-shell',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  template: `
    <a class="skip" href="#main">Skip to content</a>
    <header class="topbar">
      <a routerLink="/" class="brand">bkg</a>
      <button type="button" class="btn menu-btn" [attr.aria-expanded]="menuOpen()" aria-controls="main-nav"
              (click)="menuOpen.set(!menuOpen())">Menu</button>
      <nav id="main-nav" aria-label="Main" [class.open]="menuOpen()">
        <ul>
          @for (item of nav(); track item.path) {
            <li><a [routerLink]="item.path" routerLinkActive="active" ariaCurrentWhenActive="page"
                   [routerLinkActiveOptions]="{ exact: item.path === '/' }">{{ item.label }}</a></li>
          }
        </ul>
      </nav>
      <div class="row">
        <span class="conn" [class]="'conn conn-' + ws.state()" role="status" data-testid="connection">
          {{ ws.state() === 'open' ? 'Live' : ws.state() === 'connecting' ? 'Connecting…' : 'Offline, reconnecting…' }}
        </span>
        <button type="button" class="btn" (click)="theme.toggle()"
                [attr.aria-label]="theme.theme() === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'">
          {{ theme.theme() === 'dark' ? 'Light' : 'Dark' }}
        </button>
        <span class="muted user" data-testid="whoami">{{ auth.username() }} ({{ auth.role() }})</span>
        <button type="button" class="btn" (click)="logout()">Log out</button>
      </div>
    </header>
    <main id="main" tabindex="-1"><router-outlet /></main>
  `,
})
export class ShellComponent {
  protected readonly auth = inject(AuthStore);
  protected readonly ws = inject(WsService);
  protected readonly theme = inject(ThemeService);
  private readonly plugins = inject(PluginStore);
  private readonly telemetry = inject(TelemetryStore);
  private readonly router = inject(Router);
  protected readonly menuOpen = signal(false);
  protected readonly nav = computed(() => NAV.filter((n) => !n.needs || this.auth.can(n.needs)));

  constructor() {
    this.router.events.pipe(takeUntilDestroyed()).subscribe((e) => {
      if (e instanceof NavigationEnd) this.menuOpen.set(false);
    });
  }

  protected async logout(): Promise<void> {
    this.ws.close();
    this.plugins.reset();
    this.telemetry.reset();
    await this.auth.logout();
    await this.router.navigate(['/login']);
  }
}
