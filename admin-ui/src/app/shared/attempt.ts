import type { WritableSignal } from '@angular/core';

/**
 * Runs `f` for a view: clears `error` first and puts whatever `f` throws into it (the view
 * shows it), and holds `busy` while it runs. Resolves to `f`'s value, or null when it failed.
 */
export async function attempt<T>(
  error: WritableSignal<unknown>,
  f: () => Promise<T>,
  busy?: WritableSignal<boolean>,
): Promise<T | null> {
  busy?.set(true);
  error.set(null);
  try {
    return await f();
  } catch (e) {
    error.set(e);
    return null;
  } finally {
    busy?.set(false);
  }
}
