import { Injectable, signal } from '@angular/core';

export type Theme = 'light' | 'dark';
const KEY = 'bkg.theme';

/** Light or dark: the system's choice until the user picks one (remembered). */
@Injectable({ providedIn: 'root' })
export class ThemeService {
  readonly theme = signal<Theme>(initial());

  constructor() {
    apply(this.theme());
  }

  toggle(): void {
    const next: Theme = this.theme() === 'dark' ? 'light' : 'dark';
    this.theme.set(next);
    globalThis.localStorage?.setItem(KEY, next);
    apply(next);
  }
}

function initial(): Theme {
  const saved = globalThis.localStorage?.getItem(KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function apply(t: Theme): void {
  globalThis.document?.documentElement.setAttribute('data-theme', t);
}
