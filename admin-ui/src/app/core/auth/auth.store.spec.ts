import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { Me, TokenPair } from '../api/types';
import { AuthStore } from './auth.store';

const pair = (n: number, expiresIn = 900): TokenPair => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  tokenType: 'Bearer',
  expiresIn,
  refreshExpiresIn: 86400,
});

const me: Me = {
  user: { id: 'u1', username: 'ann', role: 'developer', disabled: false, createdAt: '', updatedAt: '' },
  role: 'developer',
  permissions: ['plugins:read', 'plugins:lifecycle'],
  method: 'jwt',
  sessionId: 's1',
};

describe('AuthStore', () => {
  let http: HttpTestingController;
  let store: AuthStore;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(AuthStore);
  });

  afterEach(() => http.verify());

  async function login(expiresIn = 900): Promise<void> {
    const done = store.login('ann', 'pw');
    const req = http.expectOne('/auth/login');
    expect(req.request.body).toEqual({ username: 'ann', password: 'pw' });
    expect(req.request.headers.has('authorization')).toBe(false);
    req.flush(pair(1, expiresIn));
    await Promise.resolve();
    http.expectOne('/auth/me').flush(me);
    await done;
  }

  it('logs in, loads the role and keeps the session for a reload', async () => {
    await login();
    expect(store.loggedIn()).toBe(true);
    expect(store.role()).toBe('developer');
    expect(store.can('plugins:lifecycle')).toBe(true);
    expect(store.can('users:write')).toBe(false);
    expect(store.token()).toBe('access-1');
    expect(JSON.parse(localStorage.getItem('bkg.session') ?? '{}').refreshToken).toBe('refresh-1');
  });

  it('refreshes once for many callers when the token is about to expire', async () => {
    await login(10);
    const a = store.freshToken();
    const b = store.freshToken();
    await new Promise((r) => setTimeout(r));
    const reqs = http.match('/auth/refresh');
    expect(reqs.length).toBe(1);
    expect(reqs[0].request.body).toEqual({ refreshToken: 'refresh-1' });
    reqs[0].flush(pair(2));
    expect(await a).toBe('access-2');
    expect(await b).toBe('access-2');
  });

  it('forgets the session when the refresh is refused', async () => {
    await login();
    const ok = store.refresh();
    await new Promise((r) => setTimeout(r));
    http.expectOne('/auth/refresh').flush({ code: 'unauthorized', message: 'no' }, { status: 401, statusText: 'Unauthorized' });
    expect(await ok).toBe(false);
    expect(store.loggedIn()).toBe(false);
    expect(localStorage.getItem('bkg.session')).toBeNull();
  });

  it('logs out on the daemon and locally', async () => {
    await login();
    const done = store.logout();
    const req = http.expectOne('/auth/logout');
    expect(req.request.headers.get('authorization')).toBe('Bearer access-1');
    req.flush(null, { status: 204, statusText: 'No Content' });
    await done;
    expect(store.loggedIn()).toBe(false);
  });
});
