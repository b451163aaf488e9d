import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { authInterceptor } from './auth.interceptor';
import { AuthStore } from './auth.store';

class FakeAuth {
  current = 'old';
  refreshOk = true;
  refreshes = 0;
  freshToken = () => Promise.resolve(this.current);
  token = () => this.current;
  refresh = () => {
    this.refreshes++;
    if (this.refreshOk) this.current = 'new';
    return Promise.resolve(this.refreshOk);
  };
}

describe('authInterceptor', () => {
  let http: HttpClient;
  let ctl: HttpTestingController;
  let auth: FakeAuth;

  beforeEach(() => {
    auth = new FakeAuth();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        { provide: AuthStore, useValue: auth },
      ],
    });
    http = TestBed.inject(HttpClient);
    ctl = TestBed.inject(HttpTestingController);
  });

  afterEach(() => ctl.verify());

  const tick = () => new Promise((r) => setTimeout(r));

  it('sends the token and retries once with a refreshed one after a 401', async () => {
    const answer = firstValueFrom(http.get<{ ok: boolean }>('/api/plugins'));
    await tick();
    const first = ctl.expectOne('/api/plugins');
    expect(first.request.headers.get('authorization')).toBe('Bearer old');
    first.flush({ code: 'unauthorized', message: 'expired' }, { status: 401, statusText: 'Unauthorized' });
    await tick();
    const second = ctl.expectOne('/api/plugins');
    expect(second.request.headers.get('authorization')).toBe('Bearer new');
    second.flush({ ok: true });
    expect(await answer).toEqual({ ok: true });
    expect(auth.refreshes).toBe(1);
  });

  it('goes to the login page when the session cannot be renewed', async () => {
    auth.refreshOk = false;
    const nav = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const answer = firstValueFrom(http.get('/api/plugins')).catch((e: unknown) => e);
    await tick();
    ctl.expectOne('/api/plugins').flush(null, { status: 401, statusText: 'Unauthorized' });
    await tick();
    expect((await answer as { status: number }).status).toBe(401);
    expect(nav).toHaveBeenCalledWith(['/login'], expect.anything());
  });

  it('passes other errors through untouched', async () => {
    const answer = firstValueFrom(http.get('/admin/users')).catch((e: unknown) => e);
    await tick();
    ctl.expectOne('/admin/users').flush({ code: 'forbidden', message: 'no' }, { status: 403, statusText: 'Forbidden' });
    expect((await answer as { status: number }).status).toBe(403);
    expect(auth.refreshes).toBe(0);
  });
});
