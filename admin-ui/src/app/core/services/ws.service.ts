import { Injectable, inject, signal } from '@angular/core';
import type { ClientMessage, LogLevel, LogLine, ServerMessage, Topic } from '../api/types';
import { AuthStore } from '../auth/auth.store';

/** One subscription the app holds; resent after every reconnect. */
interface Subscription {
  topic: Topic;
  pluginId?: string;
  level?: LogLevel;
  /** Logs: the highest seq delivered, so a reconnect resumes right after it. */
  cursor?: number;
  handlers: Set<(msg: ServerMessage) => void>;
}

export type WsState = 'connecting' | 'open' | 'closed';

/** Reconnect backoff: 0.5 s doubling to 10 s, with jitter so many tabs do not return at once. */
export function backoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(10_000, 500 * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.75 + random() * 0.5));
}

/**
 * The one WebSocket to `/ws/plugins`. Authenticates with the access token as the subprotocol
 * `bkg.bearer.<token>` (browsers cannot set headers on a WebSocket), reconnects with backoff,
 * and resubscribes every subscription; a logs subscription resumes from the last seq it saw,
 * so the daemon replays what came in between (from its ring or files) without a gap.
 */
@Injectable({ providedIn: 'root' })
export class WsService {
  private readonly auth = inject(AuthStore);
  private socket: WebSocket | null = null;
  private readonly subs = new Map<string, Subscription>();
  private readonly lagHandlers = new Set<(missed: number) => void>();
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private wanted = false;
  private everOpened = false;

  readonly state = signal<WsState>('closed');
  /** How many times the connection came back after a loss. */
  readonly reconnects = signal(0);

  /**
   * Subscribes `handler` to a topic (optionally one plugin's). For logs, `cursor` is the
   * backfill's cursor: the daemon sends what came after it, then follows live.
   */
  subscribe(
    topic: Topic,
    pluginId: string | undefined,
    handler: (msg: ServerMessage) => void,
    opts: { level?: LogLevel; cursor?: number } = {},
  ): () => void {
    const key = `${topic}:${pluginId ?? '*'}:${opts.level ?? ''}`;
    let sub = this.subs.get(key);
    if (!sub) {
      sub = { topic, pluginId, level: opts.level, cursor: opts.cursor, handlers: new Set() };
      this.subs.set(key, sub);
      this.send(this.subMessage(sub));
    }
    sub.handlers.add(handler);
    this.ensureOpen();
    return () => {
      const s = this.subs.get(key);
      if (!s) return;
      s.handlers.delete(handler);
      if (s.handlers.size === 0) {
        this.subs.delete(key);
        this.send({ action: 'UNSUB', topic, pluginId });
      }
    };
  }

  /** Called with the number of events the daemon dropped for this (slow) connection. */
  onLag(handler: (missed: number) => void): () => void {
    this.lagHandlers.add(handler);
    return () => this.lagHandlers.delete(handler);
  }

  /** Closes the connection (logout); it reopens with the next subscription. */
  close(): void {
    this.wanted = false;
    this.subs.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.socket?.close(1000, 'bye');
    this.socket = null;
    this.state.set('closed');
  }

  private subMessage(sub: Subscription): ClientMessage {
    const msg: ClientMessage = { action: 'SUB', topic: sub.topic };
    if (sub.pluginId) msg.pluginId = sub.pluginId;
    if (sub.level) msg.level = sub.level;
    if (sub.topic === 'logs' && sub.pluginId && sub.cursor !== undefined) msg.cursor = sub.cursor;
    return msg;
  }

  private send(msg: ClientMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(msg));
  }

  private ensureOpen(): void {
    this.wanted = true;
    if (this.socket || this.timer) return;
    void this.open();
  }

  private async open(): Promise<void> {
    this.timer = null;
    if (!this.wanted) return;
    this.state.set('connecting');
    const token = await this.auth.freshToken();
    if (!token || !this.wanted) {
      this.state.set('closed');
      return;
    }
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/plugins`;
    const ws = new WebSocket(url, ['bkg.v1', `bkg.bearer.${token}`]);
    this.socket = ws;
    ws.onopen = () => {
      if (this.everOpened) this.reconnects.update((n) => n + 1);
      this.everOpened = true;
      this.attempt = 0;
      this.state.set('open');
      for (const sub of this.subs.values()) ws.send(JSON.stringify(this.subMessage(sub)));
    };
    ws.onmessage = (ev: MessageEvent<string>) => this.dispatch(ev.data);
    ws.onclose = () => {
      if (this.socket !== ws) return;
      this.socket = null;
      this.state.set('closed');
      if (!this.wanted) return;
      const delay = backoffMs(this.attempt++);
      this.timer = setTimeout(() => void this.open(), delay);
    };
  }

  private dispatch(data: string): void {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(data) as ServerMessage;
    } catch {
      return;
    }
    if (msg.type === 'lagged') {
      for (const h of this.lagHandlers) h(msg.missed);
      return;
    }
    if (msg.type === 'ack' || msg.type === 'error') return;
    const topic: Topic = msg.type === 'model' ? 'models' : msg.type;
    const pluginId = 'id' in msg && msg.type !== 'model' ? msg.id : undefined;
    for (const sub of this.subs.values()) {
      if (sub.topic !== topic || (sub.pluginId && sub.pluginId !== pluginId)) continue;
      if (msg.type === 'logs') {
        const line = msg as LogLine;
        if (sub.cursor !== undefined && line.seq <= sub.cursor) continue;
        sub.cursor = line.seq;
      }
      for (const h of sub.handlers) h(msg);
    }
  }
}
