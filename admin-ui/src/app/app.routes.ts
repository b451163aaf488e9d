import { Routes } from '@angular/router';
import { authGuard, loggedOutGuard, permissionGuard } from './core/auth/auth.guard';

/** Every page is its own lazy chunk; the login page loads nothing else. */
export const routes: Routes = [
  {
    path: 'login',
    canActivate: [loggedOutGuard],
    title: 'Log in · bkg',
    loadComponent: () => import('./features/login/login.component').then((m) => m.LoginComponent),
  },
  {
    path: '',
    canActivate: [authGuard],
    loadComponent: () => import('./features/shell/shell.component').then((m) => m.ShellComponent),
    children: [
      {
        path: '',
        pathMatch: 'full',
        title: 'Dashboard · bkg',
        loadComponent: () => import('./features/dashboard/dashboard.component').then((m) => m.DashboardComponent),
      },
      {
        path: 'plugins',
        title: 'Plugins · bkg',
        canActivate: [permissionGuard('plugins:read')],
        loadComponent: () => import('./features/plugins/plugin-list.component').then((m) => m.PluginListComponent),
      },
      {
        path: 'plugins/:name',
        canActivate: [permissionGuard('plugins:read')],
        loadComponent: () => import('./features/plugins/plugin-page.component').then((m) => m.PluginPageComponent),
      },
      {
        path: 'core/plugins/:name',
        canActivate: [permissionGuard('plugins:read')],
        loadComponent: () => import('./features/plugins/plugin-page.component').then((m) => m.PluginPageComponent),
      },
      {
        path: 'nodes',
        title: 'Nodes · bkg',
        canActivate: [permissionGuard('plugins:read')],
        loadComponent: () => import('./features/nodes/nodes.component').then((m) => m.NodesComponent),
      },
      {
        path: 'models',
        title: 'Models · bkg',
        canActivate: [permissionGuard('models:read')],
        loadComponent: () => import('./features/models/models.component').then((m) => m.ModelsComponent),
      },
      {
        path: 'settings',
        title: 'Settings · bkg',
        loadComponent: () => import('./features/settings/settings.component').then((m) => m.SettingsComponent),
      },
      {
        path: 'users',
        title: 'Users · bkg',
        canActivate: [permissionGuard('users:read')],
        loadComponent: () => import('./features/users/users.component').then((m) => m.UsersComponent),
      },
      {
        path: 'api-keys',
        title: 'API keys · bkg',
        canActivate: [permissionGuard('keys:own')],
        loadComponent: () => import('./features/api-keys/api-keys.component').then((m) => m.ApiKeysComponent),
      },
      {
        path: 'audit',
        title: 'Audit log · bkg',
        canActivate: [permissionGuard('audit:read')],
        loadComponent: () => import('./features/audit/audit.component').then((m) => m.AuditComponent),
      },
      {
        path: 'forbidden',
        title: 'Not allowed · bkg',
        loadComponent: () => import('./features/shell/forbidden.component').then((m) => m.ForbiddenComponent),
      },
      {
        path: '**',
        title: 'Not found · bkg',
        loadComponent: () => import('./features/shell/not-found.component').then((m) => m.NotFoundComponent),
      },
    ],
  },
];
