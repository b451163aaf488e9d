import { HttpClient, HttpContext, HttpContextToken } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type { Me, Permission, Role, TokenPair } from '../api/types';

/** Requests marked with this token are sent without credentials and never retried. */
export const ANONYMOUS = new HttpContextToken<boolean>(() => false);

/** What survives a reload (and is shared between tabs): the token pair and its expiry. */
interface Stored {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
}

const STORAGE_KEY = 'bkg.session';
/** Refresh this long before the access token expires. */
const EARLY_MS = 30_000;

/**
 * Who is logged in: login, transparent refresh (once at a time, also across tabs), logout, and
 * the caller's role and permissions from `GET /auth/me`.
 */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly http = inject(HttpClient);
  private readonly session = signal<Stored | null>(read());
  private refreshing: Promise<boolean> | null = null;
  private restoring: Promise<void> | null = null;

  readonly me = signal<Me | null>(null);
  readonly loggedIn = computed(() => this.session() !== null && this.me() !== null);
  readonly role = computed<Role | null>(() => this.me()?.role ?? null);
  readonly username = computed(() => this.me()?.user.username ?? '');
  private readonly permissions = computed(() => new Set<Permission>(this.me()?.permissions ?? []));

  constructor() {
    // Another tab refreshed or logged out: take its tokens (a refresh token works only once).
    globalThis.addEventListener?.('storage', (e: StorageEvent) => {
      if (e.key !== STORAGE_KEY) return;
      const next = read();
      this.session.set(next);
      if (!next) this.me.set(null);
    });
  }

  can(p: Permission): boolean {
    return this.permissions().has(p);
  }

  /** The current access token, if any (possibly about to expire: see `freshToken`). */
  token(): string | null {
    return this.session()?.accessToken ?? null;
  }

  /** Restores the stored session once at start-up; resolves when `loggedIn` is known. */
  restore(): Promise<void> {
    this.restoring ??= (async () => {
      if (!this.session()) return;
      try {
        await this.loadMe();
      } catch {
        this.clear();
      }
    })();
    return this.restoring;
  }

  async login(username: string, password: string): Promise<void> {
    const pair = await firstValueFrom(
      this.http.post<TokenPair>('/auth/login', { username, password }, { context: anonymous() }),
    );
    this.store(pair);
    await this.loadMe();
    this.restoring = Promise.resolve();
  }

  async logout(): Promise<void> {
    const token = this.token();
    this.clear();
    if (token) {
      await firstValueFrom(
        this.http.post('/auth/logout', {}, { context: anonymous(), headers: { authorization: `Bearer ${token}` } }),
      ).catch(() => undefined);
    }
  }

  /** An access token valid for a while longer, refreshing first if needed; null when logged out. */
  async freshToken(): Promise<string | null> {
    const s = this.session();
    if (!s) return null;
    if (s.expiresAt - Date.now() > EARLY_MS) return s.accessToken;
    return (await this.refresh()) ? this.token() : null;
  }

  /** Trades the refresh token for a new pair; one refresh at a time, across tabs too. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.lockedRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async lockedRefresh(): Promise<boolean> {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    const before = this.session()?.refreshToken;
    const run = async () => {
      // Another tab may have refreshed while this one waited for the lock.
      const now = read();
      if (now && now.refreshToken !== before) {
        this.session.set(now);
        return true;
      }
      return this.doRefresh();
    };
    return locks ? locks.request('bkg.refresh', run) : run();
  }

  private async doRefresh(): Promise<boolean> {
    const s = this.session();
    if (!s) return false;
    try {
      const pair = await firstValueFrom(
        this.http.post<TokenPair>('/auth/refresh', { refreshToken: s.refreshToken }, { context: anonymous() }),
      );
      this.store(pair);
      return true;
    } catch {
      this.clear();
      return false;
    }
  }

  private async loadMe(): Promise<void> {
    this.me.set(await firstValueFrom(this.http.get<Me>('/auth/me')));
  }

  private store(pair: TokenPair): void {
    const s: Stored = {
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      expiresAt: Date.now() + pair.expiresIn * 1000,
    };
    this.session.set(s);
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(s));
  }

  private clear(): void {
    this.session.set(null);
    this.me.set(null);
    globalThis.localStorage?.removeItem(STORAGE_KEY);
  }
}

function anonymous(): HttpContext {
  return new HttpContext().set(ANONYMOUS, true);
}

function read(): Stored | null {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    const v = raw ? (JSON.parse(raw) as Partial<Stored>) : null;
    if (v && typeof v.accessToken === 'string' && typeof v.refreshToken === 'string' && typeof v.expiresAt === 'number') {
      return v as Stored;
    }
  } catch {
    /* unreadable storage: treated as logged out */
  }
  return null;
}
