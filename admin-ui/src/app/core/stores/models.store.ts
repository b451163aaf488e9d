import { Injectable, computed, inject, signal } from '@angular/core';
import type { Model, ServerMessage } from '../api/types';
import { ModelsApiService } from '../services/models-api.service';
import { WsService } from '../services/ws.service';

/** The model registry with live download status and progress from the `models` topic. */
@Injectable({ providedIn: 'root' })
export class ModelsStore {
  private readonly api = inject(ModelsApiService);
  private readonly ws = inject(WsService);
  private readonly byId = signal<ReadonlyMap<string, Model>>(new Map());
  private unsubscribe: (() => void) | null = null;

  readonly error = signal<unknown>(null);
  readonly loaded = signal(false);
  readonly models = computed(() => [...this.byId().values()].sort((a, b) => a.repo.localeCompare(b.repo)));
  readonly active = computed(() =>
    this.models().filter((m) => m.status === 'queued' || m.status === 'downloading' || m.status === 'verifying'),
  );

  async load(): Promise<void> {
    this.unsubscribe ??= this.ws.subscribe('models', undefined, (m) => this.onEvent(m));
    try {
      const list = await this.api.list();
      this.byId.set(new Map(list.map((m) => [m.id, m])));
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
    this.loaded.set(false);
  }

  private onEvent(m: ServerMessage): void {
    if (m.type !== 'model') return;
    const current = this.byId().get(m.id);
    if (!current) {
      // A download another client started: fetch the whole row.
      void this.load();
      return;
    }
    const next = new Map(this.byId());
    next.set(m.id, { ...current, status: m.status, progress: m.progress, error: m.error ?? null });
    this.byId.set(next);
    if (m.status === 'ready' || m.status === 'invalid' || m.status === 'failed') void this.load();
  }
}
