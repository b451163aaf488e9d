import { Injectable, computed, inject, signal } from '@angular/core';
import type { Model, ModelEvent, ServerMessage } from '../api/types';
import { ModelsApiService } from '../services/models-api.service';
import { WsService } from '../services/ws.service';

/** The model registry with live download status and progress from the `models` topic. */
@Injectable({ providedIn: 'root' })
export class ModelsStore {
  private readonly api = inject(ModelsApiService);
  private readonly ws = inject(WsService);
  private readonly byId = signal<ReadonlyMap<string, Model>>(new Map());
  /** The newest event per model and when it came, so a list fetched earlier cannot undo it. */
  private readonly events = new Map<string, { at: number; event: ModelEvent }>();
  private unsubscribe: (() => void) | null = null;

  readonly error = signal<unknown>(null);
  readonly loaded = signal(false);
  readonly models = computed(() => [...this.byId().values()].sort((a, b) => a.repo.localeCompare(b.repo)));
  readonly active = computed(() =>
    this.models().filter((m) => m.status === 'queued' || m.status === 'downloading' || m.status === 'verifying'),
  );

  async load(): Promise<void> {
    this.unsubscribe ??= this.ws.subscribe('models', undefined, (m) => this.onEvent(m));
    const asked = performance.now();
    try {
      const list = await this.api.list();
      this.byId.set(
        new Map(
          list.map((m) => {
            const e = this.events.get(m.id);
            return [m.id, e && e.at > asked ? withEvent(m, e.event) : m];
          }),
        ),
      );
      this.error.set(null);
    } catch (e) {
      this.error.set(e);
    } finally {
      this.loaded.set(true);
    }
  }

  reset(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.byId.set(new Map());
    this.events.clear();
    this.loaded.set(false);
  }

  private onEvent(m: ServerMessage): void {
    if (m.type !== 'model') return;
    this.events.set(m.id, { at: performance.now(), event: m });
    const current = this.byId().get(m.id);
    if (!current) {
      // A download another client started: fetch the whole row.
      void this.load();
      return;
    }
    const next = new Map(this.byId());
    next.set(m.id, withEvent(current, m));
    this.byId.set(next);
    if (m.status === 'ready' || m.status === 'invalid' || m.status === 'failed') void this.load();
  }
}

function withEvent(m: Model, e: ModelEvent): Model {
  return { ...m, status: e.status, progress: e.progress, error: e.error ?? null };
}
