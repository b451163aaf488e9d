import { HttpErrorResponse, HttpEvent, HttpHandlerFn, HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { Observable, catchError, from, switchMap, throwError } from 'rxjs';
import { ANONYMOUS, AuthStore } from './auth.store';

/**
 * Sends the access token with every API request (refreshing it first when it is about to
 * expire); on a 401 refreshes once and retries; when that fails too, goes to the login page.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  if (req.context.get(ANONYMOUS)) return next(req);
  const auth = inject(AuthStore);
  const router = inject(Router);
  return from(auth.freshToken()).pipe(
    switchMap((token) => send(req, next, token)),
    catchError((err: unknown) => {
      if (!(err instanceof HttpErrorResponse) || err.status !== 401) return throwError(() => err);
      return from(auth.refresh()).pipe(
        switchMap((ok) => {
          if (!ok) {
            void router.navigate(['/login'], { queryParams: { returnUrl: router.url } });
            return throwError(() => err);
          }
          return send(req, next, auth.token());
        }),
      );
    }),
  );
};

function send(req: HttpRequest<unknown>, next: HttpHandlerFn, token: string | null): Observable<HttpEvent<unknown>> {
  return next(token ? req.clone({ setHeaders: { authorization: `Bearer ${token}` } }) : req);
}
