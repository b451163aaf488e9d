import { TestBed } from '@angular/core/testing';
import { signal } from '@angular/core';
import { Router, UrlTree, type ActivatedRouteSnapshot, type RouterStateSnapshot } from '@angular/router';
import type { Permission } from '../api/types';
import { authGuard, permissionGuard } from './auth.guard';
import { AuthStore } from './auth.store';

class FakeAuth {
  loggedIn = signal(false);
  perms = new Set<Permission>();
  restore = () => Promise.resolve();
  can = (p: Permission) => this.perms.has(p);
}

describe('guards', () => {
  let auth: FakeAuth;
  const state = { url: '/users' } as RouterStateSnapshot;
  const route = {} as ActivatedRouteSnapshot;

  beforeEach(() => {
    auth = new FakeAuth();
    TestBed.configureTestingModule({ providers: [{ provide: AuthStore, useValue: auth }] });
  });

  const run = (g: typeof authGuard) => TestBed.runInInjectionContext(() => g(route, state)) as Promise<boolean | UrlTree>;
  const url = (t: boolean | UrlTree) => (t instanceof UrlTree ? TestBed.inject(Router).serializeUrl(t) : t);

  it('sends logged-out users to the login page with the way back', async () => {
    expect(url(await run(authGuard))).toBe('/login?returnUrl=%2Fusers');
    auth.loggedIn.set(true);
    expect(await run(authGuard)).toBe(true);
  });

  it('shows why a page is not allowed instead of a blank page', async () => {
    auth.loggedIn.set(true);
    expect(url(await run(permissionGuard('users:read')))).toBe('/forbidden?need=users:read&page=%2Fusers');
    auth.perms.add('users:read');
    expect(await run(permissionGuard('users:read'))).toBe(true);
  });
});
