import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import type { Permission } from '../api/types';
import { AuthStore } from './auth.store';

/** Logged-in users only; others go to the login page and come back afterwards. */
export const authGuard: CanActivateFn = async (_route, state) => {
  const auth = inject(AuthStore);
  const router = inject(Router);
  await auth.restore();
  return auth.loggedIn() ? true : router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};

/** Users whose role grants `permission`; others see why they cannot open the page. */
export function permissionGuard(permission: Permission): CanActivateFn {
  return async (_route, state) => {
    const auth = inject(AuthStore);
    const router = inject(Router);
    await auth.restore();
    if (!auth.loggedIn()) return router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
    return auth.can(permission)
      ? true
      : router.createUrlTree(['/forbidden'], { queryParams: { need: permission, page: state.url } });
  };
}

/** The login page is for logged-out users. */
export const loggedOutGuard: CanActivateFn = async () => {
  const auth = inject(AuthStore);
  await auth.restore();
  return auth.loggedIn() ? inject(Router).createUrlTree(['/']) : true;
};
