import type { LogLevel, LogLine } from '../../core/api/types';

const RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

/** Lines kept in the browser per open log view; older ones drop off the top. */
export const MAX_LINES = 50_000;

/**
 * The lines of one log view and the subset that passes the filter, updated incrementally: new
 * lines are filtered once as they arrive, so at 10,000 lines/s the cost is per line, not per
 * line times the buffer. Lines are deduplicated by seq (backfill and live follow overlap).
 */
export class LogBuffer {
  private all: LogLine[] = [];
  private shown: LogLine[] = [];
  private lastSeq = -1;
  private minRank = 0;
  private needle = '';

  constructor(private readonly max = MAX_LINES) {}

  get size(): number {
    return this.all.length;
  }

  /** The lines that pass the filter, oldest first. */
  get visible(): readonly LogLine[] {
    return this.shown;
  }

  /** The highest seq held (the cursor to resume after), or undefined when empty. */
  get cursor(): number | undefined {
    return this.lastSeq >= 0 ? this.lastSeq : undefined;
  }

  /** Appends lines in seq order; returns how many were new. */
  push(lines: readonly LogLine[]): number {
    let added = 0;
    for (const l of lines) {
      if (l.seq <= this.lastSeq) continue;
      this.lastSeq = l.seq;
      this.all.push(l);
      if (this.passes(l)) this.shown.push(l);
      added++;
    }
    if (this.all.length > this.max) {
      const drop = this.all.length - this.max;
      const firstKept = this.all[drop].seq;
      this.all = this.all.slice(drop);
      let i = 0;
      while (i < this.shown.length && this.shown[i].seq < firstKept) i++;
      if (i) this.shown = this.shown.slice(i);
    }
    return added;
  }

  /** Sets the filter and recomputes the visible lines once. */
  filter(level: LogLevel, search: string): void {
    this.minRank = RANK[level];
    this.needle = search.trim().toLowerCase();
    this.shown = this.all.filter((l) => this.passes(l));
  }

  clear(): void {
    this.all = [];
    this.shown = [];
  }

  /** The visible lines as text, for download. */
  text(): string {
    return this.shown.map((l) => `${l.ts} ${l.level.toUpperCase().padEnd(5)} [run ${l.run}] ${l.message}`).join('\n') + '\n';
  }

  private passes(l: LogLine): boolean {
    return RANK[l.level] >= this.minRank && (!this.needle || l.message.toLowerCase().includes(this.needle));
  }
}

/** Splits `text` around case-insensitive matches of `needle`, for highlighting. */
export function highlight(text: string, needle: string): { text: string; hit: boolean }[] {
  const n = needle.trim().toLowerCase();
  if (!n) return [{ text, hit: false }];
  const out: { text: string; hit: boolean }[] = [];
  const lower = text.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(n); i >= 0; i = lower.indexOf(n, i + n.length)) {
    if (i > at) out.push({ text: text.slice(at, i), hit: false });
    out.push({ text: text.slice(i, i + n.length), hit: true });
    at = i + n.length;
  }
  if (at < text.length) out.push({ text: text.slice(at), hit: false });
  return out;
}
