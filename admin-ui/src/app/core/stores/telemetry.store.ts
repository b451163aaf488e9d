import { Injectable, inject, signal, type Signal } from '@angular/core';
import type { ServerMessage, TelemetrySample } from '../api/types';
import { PluginApiService } from '../services/plugin-api.service';
import { WsService } from '../services/ws.service';

/** Samples kept per plugin (the daemon keeps 300 by default: five minutes at 1 s). */
export const KEEP = 300;

/**
 * Recent telemetry per plugin, for sparklines and charts: the history is backfilled from
 * `GET /api/plugins/{id}/telemetry` the first time a plugin is watched, then the `telemetry`
 * topic appends live samples (one subscription for all plugins).
 */
@Injectable({ providedIn: 'root' })
export class TelemetryStore {
  private readonly api = inject(PluginApiService);
  private readonly ws = inject(WsService);
  private readonly series = new Map<string, ReturnType<typeof signal<readonly TelemetrySample[]>>>();
  private readonly backfilled = new Set<string>();
  private unsubscribe: (() => void) | null = null;

  /** The samples of one plugin, oldest first. */
  samples(id: string): Signal<readonly TelemetrySample[]> {
    return this.slot(id).asReadonly();
  }

  /** The newest sample of one plugin, if any. */
  latest(id: string): TelemetrySample | null {
    const s = this.slot(id)();
    return s.length ? s[s.length - 1] : null;
  }

  /** Starts following live samples and backfills `id`'s history once. */
  async watch(id?: string): Promise<void> {
    this.unsubscribe ??= this.ws.subscribe('telemetry', undefined, (m) => this.onSample(m));
    if (!id || this.backfilled.has(id)) return;
    this.backfilled.add(id);
    try {
      const history = await this.api.telemetry(id);
      const slot = this.slot(id);
      // Live samples that arrived meanwhile are newer than the history: keep them after it.
      const newest = history.length ? Date.parse(history[history.length - 1].ts) : -Infinity;
      const live = slot().filter((s) => Date.parse(s.ts) > newest);
      slot.set([...history, ...live].slice(-KEEP));
    } catch {
      this.backfilled.delete(id);
    }
  }

  reset(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.series.clear();
    this.backfilled.clear();
  }

  private slot(id: string) {
    let s = this.series.get(id);
    if (!s) {
      s = signal<readonly TelemetrySample[]>([]);
      this.series.set(id, s);
    }
    return s;
  }

  private onSample(m: ServerMessage): void {
    if (m.type !== 'telemetry') return;
    const slot = this.slot(m.id);
    const list = slot();
    slot.set(list.length >= KEEP ? [...list.slice(list.length - KEEP + 1), m] : [...list, m]);
  }
}
