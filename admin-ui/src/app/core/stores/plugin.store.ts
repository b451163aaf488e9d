import { Injectable, computed, inject, signal } from '@angular/core';
import type { PluginStatus, PluginSummary, ServerMessage } from '../api/types';
import { PluginApiService, type Lifecycle } from '../services/plugin-api.service';
import { WsService } from '../services/ws.service';

/**
 * Every plugin with its live status: loaded once from `GET /api/plugins`, then kept current by
 * the `status` topic (which also answers the current state of every plugin on each
 * (re)subscription, so nothing is missed across a reconnect).
 */
@Injectable({ providedIn: 'root' })
export class PluginStore {
  private readonly api = inject(PluginApiService);
  private readonly ws = inject(WsService);
  private readonly byIdMap = signal<ReadonlyMap<string, PluginSummary>>(new Map());
  private unsubscribe: (() => void) | null = null;

  readonly loaded = signal(false);
  readonly error = signal<unknown>(null);
  readonly plugins = computed(() => [...this.byIdMap().values()].sort((a, b) => a.id.localeCompare(b.id)));
  readonly running = computed(() => this.plugins().filter((p) => p.status === 'running').length);

  plugin(id: string) {
    return computed(() => this.byIdMap().get(id) ?? null);
  }

  /** Loads the list and follows status changes (idempotent). */
  async load(): Promise<void> {
    if (!this.unsubscribe) {
      this.unsubscribe = this.ws.subscribe('status', undefined, (m) => this.onStatus(m));
    }
    try {
      const list = await this.api.list();
      this.byIdMap.set(new Map(list.map((p) => [p.id, p])));
      this.error.set(null);
    } catch (e) {
      this.error.set(e);
    } finally {
      this.loaded.set(true);
    }
  }

  /** Applies a status event (also used for the answer of a lifecycle call). */
  apply(s: PluginStatus): void {
    const current = this.byIdMap().get(s.id);
    if (!current) return;
    const next = new Map(this.byIdMap());
    next.set(s.id, { ...current, status: s.status, pid: s.pid, restarts: s.restarts, uptime: s.uptime });
    this.byIdMap.set(next);
  }

  async lifecycle(id: string, action: Lifecycle): Promise<void> {
    const r = await this.api.lifecycle(id, action);
    this.apply(r.status);
  }

  /** Forgets everything (logout). */
  reset(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.byIdMap.set(new Map());
    this.loaded.set(false);
  }

  private onStatus(m: ServerMessage): void {
    if (m.type === 'status') this.apply(m);
  }
}
