import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { AuthStore } from '../auth/auth.store';
import type {
  CapabilitySpec,
  ConfigApplied,
  ErrorBody,
  InvokeEvent,
  InvokeResponse,
  LogLevel,
  LogPage,
  PluginDetail,
  PluginStatus,
  PluginSummary,
  TelemetrySample,
} from '../api/types';

export type Lifecycle = 'start' | 'stop' | 'restart';

/** The plugin routes of the REST API. */
@Injectable({ providedIn: 'root' })
export class PluginApiService {
  private readonly http = inject(HttpClient);
  private readonly auth = inject(AuthStore);

  list(): Promise<PluginSummary[]> {
    return firstValueFrom(this.http.get<{ plugins: PluginSummary[] }>('/api/plugins')).then((r) => r.plugins);
  }

  detail(id: string): Promise<PluginDetail> {
    return firstValueFrom(this.http.get<PluginDetail>(`/api/plugins/${enc(id)}`));
  }

  lifecycle(id: string, action: Lifecycle): Promise<{ status: PluginStatus }> {
    return firstValueFrom(this.http.post<{ status: PluginStatus }>(`/api/plugins/${enc(id)}/${action}`, {}));
  }

  capabilities(id: string): Promise<CapabilitySpec[]> {
    return firstValueFrom(
      this.http.get<{ capabilities: CapabilitySpec[] }>(`/api/plugins/${enc(id)}/capabilities`),
    ).then((r) => r.capabilities);
  }

  logs(id: string, q: { tail?: number; level?: LogLevel; q?: string; cursor?: number }): Promise<LogPage> {
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params[k] = String(v);
    return firstValueFrom(this.http.get<LogPage>(`/api/plugins/${enc(id)}/logs`, { params }));
  }

  telemetry(id: string): Promise<TelemetrySample[]> {
    return firstValueFrom(
      this.http.get<{ samples: TelemetrySample[] }>(`/api/plugins/${enc(id)}/telemetry`),
    ).then((r) => r.samples);
  }

  setConfig(id: string, config: unknown): Promise<ConfigApplied> {
    return firstValueFrom(this.http.post<ConfigApplied>(`/api/plugins/${enc(id)}/config`, config));
  }

  invoke<T = unknown>(id: string, capability: string, input: unknown): Promise<T> {
    return firstValueFrom(
      this.http.post<InvokeResponse>(`/api/plugins/${enc(id)}/invoke/${enc(capability)}`, input),
    ).then((r) => r.output as T);
  }

  /**
   * Invokes a streaming capability and calls `onEvent` for each event as it arrives (NDJSON
   * over fetch, so tokens show while they are generated). Resolves after the last event.
   */
  async stream(
    id: string,
    capability: string,
    input: unknown,
    onEvent: (e: InvokeEvent) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const token = await this.auth.freshToken();
    const resp = await fetch(`/api/plugins/${enc(id)}/invoke/${enc(capability)}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/x-ndjson',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(input),
      signal,
    });
    if (!resp.ok || !resp.body) {
      const body = (await resp.json().catch(() => null)) as ErrorBody | null;
      onEvent({ error: body ?? { code: 'internal', message: `${resp.status} ${resp.statusText}` } });
      return;
    }
    const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
    let rest = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += value;
      let nl: number;
      while ((nl = rest.indexOf('\n')) >= 0) {
        const line = rest.slice(0, nl).trim();
        rest = rest.slice(nl + 1);
        if (line) onEvent(JSON.parse(line) as InvokeEvent);
      }
    }
  }
}

function enc(s: string): string {
  return encodeURIComponent(s);
}
